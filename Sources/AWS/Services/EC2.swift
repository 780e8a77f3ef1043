/// The EC2 calls the EC2 and DRS modules make (ec2 protocol).
public struct EC2: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct Instance: Sendable, Hashable {
        public var id: String
        /// pending, running, stopping, stopped, shutting-down, terminated.
        public var state: String
        public var privateIP: String?
        public var instanceType: String?
        public var subnetID: String?
        public var tags: [String: String]
    }

    /// Instances by id, or every instance matching the filters (all pages).
    public func describeInstances(ids: [String] = [], filters: [(name: String, values: [String])] = []) async throws -> [Instance] {
        try await AWSPagination.collect(service: "ec2", operation: "DescribeInstances") { token in
            var parameters = QueryParameters()
            parameters.ec2List("InstanceId", ids)
            parameters.ec2Filters(filters)
            parameters.add("NextToken", token)
            let response = try await client.query(.ec2, "DescribeInstances", parameters).xml()
            let instances = (response["reservationSet"]?.members ?? []).flatMap { $0["instancesSet"]?.members ?? [] }.map { item in
                Instance(id: item.string("instanceId") ?? "", state: item["instanceState"]?.string("name") ?? "",
                         privateIP: item.string("privateIpAddress"), instanceType: item.string("instanceType"),
                         subnetID: item.string("subnetId"), tags: Self.tags(item["tagSet"]))
            }
            return (instances, response.string("nextToken"))
        }
    }

    public func startInstances(_ ids: [String]) async throws {
        var parameters = QueryParameters()
        parameters.ec2List("InstanceId", ids)
        _ = try await client.query(.ec2, "StartInstances", parameters)
    }

    public func stopInstances(_ ids: [String]) async throws {
        var parameters = QueryParameters()
        parameters.ec2List("InstanceId", ids)
        _ = try await client.query(.ec2, "StopInstances", parameters)
    }

    public func tag(_ ids: [String], key: String, value: String) async throws {
        var parameters = QueryParameters()
        parameters.ec2List("ResourceId", ids)
        parameters.add("Tag.1.Key", key)
        parameters.add("Tag.1.Value", value)
        _ = try await client.query(.ec2, "CreateTags", parameters)
    }

    public func untag(_ ids: [String], key: String) async throws {
        var parameters = QueryParameters()
        parameters.ec2List("ResourceId", ids)
        parameters.add("Tag.1.Key", key)
        _ = try await client.query(.ec2, "DeleteTags", parameters)
    }

    /// The launch settings Lifeboat manages in a launch template version.
    public struct LaunchTemplateSettings: Sendable, Hashable {
        public var instanceType: String?
        public var subnetID: String?
        public var securityGroupIDs: [String]?
        public var privateIP: String?
        public var instanceProfileName: String?

        public init(instanceType: String? = nil, subnetID: String? = nil, securityGroupIDs: [String]? = nil, privateIP: String? = nil,
                    instanceProfileName: String? = nil) {
            self.instanceType = instanceType
            self.subnetID = subnetID
            self.securityGroupIDs = securityGroupIDs
            self.privateIP = privateIP
            self.instanceProfileName = instanceProfileName
        }

        /// Whether `self` already has every setting `desired` gives.
        public func satisfies(_ desired: LaunchTemplateSettings) -> Bool {
            (desired.instanceType == nil || desired.instanceType == instanceType)
                && (desired.subnetID == nil || desired.subnetID == subnetID)
                && (desired.securityGroupIDs == nil || desired.securityGroupIDs.map(Set.init) == securityGroupIDs.map(Set.init))
                && (desired.privateIP == nil || desired.privateIP == privateIP)
                && (desired.instanceProfileName == nil || desired.instanceProfileName == instanceProfileName)
        }

        /// `self` with what `desired` gives laid over it.
        public func merging(_ desired: LaunchTemplateSettings) -> LaunchTemplateSettings {
            LaunchTemplateSettings(instanceType: desired.instanceType ?? instanceType, subnetID: desired.subnetID ?? subnetID,
                                   securityGroupIDs: desired.securityGroupIDs ?? securityGroupIDs, privateIP: desired.privateIP ?? privateIP,
                                   instanceProfileName: desired.instanceProfileName ?? instanceProfileName)
        }
    }

    /// The default version's number and settings.
    public func defaultLaunchTemplateVersion(_ templateID: String) async throws -> (version: Int, settings: LaunchTemplateSettings) {
        let version = try await launchTemplateVersion(templateID, "$Default")
        return (version.version, version.settings)
    }

    /// The newest version's number, settings and description (it need not be the default).
    public func latestLaunchTemplateVersion(_ templateID: String) async throws -> (version: Int, settings: LaunchTemplateSettings, description: String?) {
        try await launchTemplateVersion(templateID, "$Latest")
    }

    private func launchTemplateVersion(_ templateID: String, _ which: String) async throws
        -> (version: Int, settings: LaunchTemplateSettings, description: String?) {
        var parameters: QueryParameters = [("LaunchTemplateId", templateID)]
        parameters.ec2List("LaunchTemplateVersion", [which])
        let response = try await client.query(.ec2, "DescribeLaunchTemplateVersions", parameters)
        guard let item = try response.xml()["launchTemplateVersionSet"]?.members.first else {
            throw response.malformed("launch template \(templateID) has no \(which) version")
        }
        let data = item["launchTemplateData"]
        let interface = data?["networkInterfaceSet"]?.members.first
        let groups = (interface?["groupSet"] ?? data?["securityGroupIdSet"])?.children.compactMap { child -> String? in
            let text = child.string("groupId") ?? child.trimmedText
            return text.isEmpty ? nil : text
        }
        return (Int(item.string("versionNumber") ?? "") ?? 0,
                LaunchTemplateSettings(instanceType: data?.string("instanceType"), subnetID: interface?.string("subnetId"),
                                       securityGroupIDs: groups?.isEmpty == false ? groups : nil,
                                       privateIP: interface?.string("privateIpAddress"),
                                       instanceProfileName: data?["iamInstanceProfile"]?.string("name")),
                item.string("versionDescription"))
    }

    /// A new version from the default one with `settings` applied; returns its number. The
    /// network settings go on the primary network interface, as DRS's own templates have them.
    public func createLaunchTemplateVersion(_ templateID: String, settings: LaunchTemplateSettings, description: String) async throws -> Int {
        var parameters: QueryParameters = [("LaunchTemplateId", templateID), ("SourceVersion", "$Default"),
                                           ("VersionDescription", description)]
        parameters.add("LaunchTemplateData.InstanceType", settings.instanceType)
        parameters.add("LaunchTemplateData.IamInstanceProfile.Name", settings.instanceProfileName)
        if settings.subnetID != nil || settings.privateIP != nil || settings.securityGroupIDs != nil {
            parameters.add("LaunchTemplateData.NetworkInterface.1.DeviceIndex", 0)
            parameters.add("LaunchTemplateData.NetworkInterface.1.SubnetId", settings.subnetID)
            parameters.add("LaunchTemplateData.NetworkInterface.1.PrivateIpAddress", settings.privateIP)
            parameters.ec2List("LaunchTemplateData.NetworkInterface.1.SecurityGroupId", settings.securityGroupIDs ?? [])
        }
        let response = try await client.query(.ec2, "CreateLaunchTemplateVersion", parameters)
        guard let number = try response.xml()["launchTemplateVersion"]?.string("versionNumber").flatMap({ Int($0) }) else {
            throw response.malformed("CreateLaunchTemplateVersion returned no version number")
        }
        return number
    }

    public func setDefaultLaunchTemplateVersion(_ templateID: String, version: Int) async throws {
        _ = try await client.query(.ec2, "ModifyLaunchTemplate", [("LaunchTemplateId", templateID), ("SetDefaultVersion", String(version))])
    }

    static func tags(_ set: XMLElement?) -> [String: String] {
        var tags: [String: String] = [:]
        for item in set?.members ?? [] {
            if let key = item.string("key") { tags[key] = item.string("value") ?? "" }
        }
        return tags
    }
}
