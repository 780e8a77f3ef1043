import YAML

/// The OpenSearch Service calls the OpenSearchService module makes (rest-json, API 2021-01-01).
public struct OpenSearch: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    /// The parts of a domain's configuration Lifeboat scales.
    public struct Sizes: Sendable, Hashable, Codable {
        public var dataNodeType: String
        public var dataNodeCount: Int
        /// nil: no dedicated masters.
        public var masterNodeType: String?
        public var masterNodeCount: Int
        public var azCount: Int
        /// EBS volume size per data node (GiB); nil without EBS.
        public var volumeSize: Int?

        public init(dataNodeType: String, dataNodeCount: Int, masterNodeType: String?, masterNodeCount: Int, azCount: Int, volumeSize: Int?) {
            self.dataNodeType = dataNodeType
            self.dataNodeCount = dataNodeCount
            self.masterNodeType = masterNodeCount == 0 ? nil : masterNodeType
            self.masterNodeCount = masterNodeCount
            self.azCount = azCount
            self.volumeSize = volumeSize
        }
    }

    public struct Domain: Sendable, Hashable {
        public var name: String
        public var arn: String
        /// True while a configuration change applies.
        public var processing: Bool
        public var sizes: Sizes
        public var subnetIds: [String]
        /// AutoTuneOptions.State: ENABLED, DISABLED, …
        public var autoTuneState: String?
        /// The raw ClusterConfig and EBSOptions, so an update changes only what Lifeboat scales.
        public var clusterConfig: JSONObject
        public var ebsOptions: JSONObject
    }

    public func describeDomain(_ name: String) async throws -> Domain {
        let output = try await client.send(.openSearch, .restJSON("DescribeDomain", .get, AWSOperation.path("/2021-01-01/opensearch/domain/", .label(name)))).json()
        let status = output["DomainStatus"] ?? .null
        let cluster = status["ClusterConfig"]?.objectValue ?? [:]
        let ebs = status["EBSOptions"]?.objectValue ?? [:]
        let masters = cluster["DedicatedMasterEnabled"]?.boolValue == true
        let zones = cluster["ZoneAwarenessEnabled"]?.boolValue == true ? (cluster["ZoneAwarenessConfig"]?["AvailabilityZoneCount"]?.intValue ?? 2) : 1
        let sizes = Sizes(dataNodeType: cluster["InstanceType"]?.stringValue ?? "", dataNodeCount: cluster["InstanceCount"]?.intValue ?? 1,
                          masterNodeType: masters ? cluster["DedicatedMasterType"]?.stringValue : nil,
                          masterNodeCount: masters ? cluster["DedicatedMasterCount"]?.intValue ?? 0 : 0, azCount: zones,
                          volumeSize: ebs["EBSEnabled"]?.boolValue == true ? ebs["VolumeSize"]?.intValue : nil)
        return Domain(name: status["DomainName"]?.stringValue ?? name, arn: status["ARN"]?.stringValue ?? "",
                      processing: status["Processing"]?.boolValue ?? false, sizes: sizes,
                      subnetIds: (status["VPCOptions"]?["SubnetIds"]?.arrayValue ?? []).compactMap(\.stringValue),
                      autoTuneState: status["AutoTuneOptions"]?["State"]?.stringValue, clusterConfig: cluster, ebsOptions: ebs)
    }

    /// One UpdateDomainConfig: the domain's ClusterConfig and EBSOptions with `sizes` written
    /// over them, and the subnets and Auto-Tune when given.
    public func update(_ domain: Domain, to sizes: Sizes, subnetIds: [String]?, autoTune: Bool?) async throws {
        var cluster = domain.clusterConfig
        cluster["InstanceType"] = .string(sizes.dataNodeType)
        cluster["InstanceCount"] = .int(sizes.dataNodeCount)
        cluster["DedicatedMasterEnabled"] = .bool(sizes.masterNodeCount > 0)
        cluster["DedicatedMasterType"] = sizes.masterNodeType.map(JSONValue.string)
        cluster["DedicatedMasterCount"] = sizes.masterNodeCount > 0 ? .int(sizes.masterNodeCount) : nil
        cluster["ZoneAwarenessEnabled"] = .bool(sizes.azCount > 1)
        cluster["ZoneAwarenessConfig"] = sizes.azCount > 1 ? ["AvailabilityZoneCount": .int(sizes.azCount)] : nil
        var body: JSONObject = ["ClusterConfig": .object(cluster)]
        if let volume = sizes.volumeSize, volume != domain.sizes.volumeSize {
            var ebs = domain.ebsOptions
            ebs["EBSEnabled"] = true
            ebs["VolumeSize"] = .int(volume)
            body["EBSOptions"] = .object(ebs)
        }
        if let subnetIds { body["VPCOptions"] = ["SubnetIds": .array(subnetIds.map(JSONValue.string))] }
        if let autoTune { body["AutoTuneOptions"] = ["DesiredState": .string(autoTune ? "ENABLED" : "DISABLED")] }
        _ = try await client.send(.openSearch, .restJSON("UpdateDomainConfig", .post,
                                                         AWSOperation.path("/2021-01-01/opensearch/domain/", .label(domain.name), "/config"),
                                                         body: .object(body)))
    }

    public func tags(of arn: String) async throws -> [String: String] {
        let output = try await client.send(.openSearch, .restJSON("ListTags", .get, "/2021-01-01/tags/", query: [("arn", arn)])).json()
        return Dictionary((output["TagList"]?.arrayValue ?? []).compactMap { tag in
            tag["Key"]?.stringValue.map { ($0, tag["Value"]?.stringValue ?? "") }
        }, uniquingKeysWith: { first, _ in first })
    }

    public func tag(_ arn: String, key: String, value: String) async throws {
        _ = try await client.send(.openSearch, .restJSON("AddTags", .post, "/2021-01-01/tags",
                                                         body: ["ARN": .string(arn), "TagList": [["Key": .string(key), "Value": .string(value)]]]))
    }

    public func untag(_ arn: String, key: String) async throws {
        _ = try await client.send(.openSearch, .restJSON("RemoveTags", .post, "/2021-01-01/tags-removal",
                                                         body: ["ARN": .string(arn), "TagKeys": [.string(key)]]))
    }
}
