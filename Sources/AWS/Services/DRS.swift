import YAML

/// The Elastic Disaster Recovery calls the DRS module makes (rest-json; every operation is
/// `POST /<Operation>` with a camelCase JSON body).
public struct DRS: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct SourceServer: Sendable, Hashable {
        public var id: String
        public var arn: String
        /// `sourceProperties.identificationHints.hostname`.
        public var hostname: String?
        public var tags: [String: String]
        /// `dataReplicationInfo.dataReplicationState`: CONTINUOUS, INITIAL_SYNC, STALLED, …
        public var replicationState: String?
        /// ISO 8601 duration, e.g. PT5S.
        public var lagDuration: String?
        public var recoveryInstanceID: String?
        public var reversedDirectionSourceServerArn: String?

        init(_ json: JSONValue) {
            id = json["sourceServerID"]?.stringValue ?? ""
            arn = json["arn"]?.stringValue ?? ""
            hostname = json["sourceProperties"]?["identificationHints"]?["hostname"]?.stringValue
            tags = DRS.tags(json["tags"])
            replicationState = json["dataReplicationInfo"]?["dataReplicationState"]?.stringValue
            lagDuration = json["dataReplicationInfo"]?["lagDuration"]?.stringValue
            recoveryInstanceID = json["recoveryInstanceId"]?.stringValue
            reversedDirectionSourceServerArn = json["reversedDirectionSourceServerArn"]?.stringValue
        }
    }

    public struct Job: Sendable, Hashable {
        public struct Participant: Sendable, Hashable {
            public var sourceServerID: String
            public var recoveryInstanceID: String?
            /// PENDING, IN_PROGRESS, LAUNCHED, FAILED, TERMINATED.
            public var launchStatus: String
        }

        public var id: String
        /// LAUNCH, TERMINATE, CREATE_CONVERTED_SNAPSHOT.
        public var type: String
        /// PENDING, STARTED, COMPLETED.
        public var status: String
        /// START_RECOVERY, START_DRILL, TERMINATE_RECOVERY_INSTANCES, …
        public var initiatedBy: String?
        public var tags: [String: String]
        public var participants: [Participant]

        init(_ json: JSONValue) {
            id = json["jobID"]?.stringValue ?? ""
            type = json["type"]?.stringValue ?? ""
            status = json["status"]?.stringValue ?? ""
            initiatedBy = json["initiatedBy"]?.stringValue
            tags = DRS.tags(json["tags"])
            participants = (json["participatingServers"]?.arrayValue ?? []).map {
                Participant(sourceServerID: $0["sourceServerID"]?.stringValue ?? "", recoveryInstanceID: $0["recoveryInstanceID"]?.stringValue,
                            launchStatus: $0["launchStatus"]?.stringValue ?? "PENDING")
            }
        }

        public var isActive: Bool { status != "COMPLETED" }
    }

    public struct RecoveryInstance: Sendable, Hashable {
        public var id: String
        public var ec2InstanceID: String?
        /// PENDING, RUNNING, STOPPING, STOPPED, SHUTTING-DOWN, TERMINATED, NOT_FOUND.
        public var ec2InstanceState: String?
        public var jobID: String?
        public var sourceServerID: String?
        public var isDrill: Bool
        public var privateIP: String?

        init(_ json: JSONValue) {
            id = json["recoveryInstanceID"]?.stringValue ?? ""
            ec2InstanceID = json["ec2InstanceID"]?.stringValue
            ec2InstanceState = json["ec2InstanceState"]?.stringValue
            jobID = json["jobID"]?.stringValue
            sourceServerID = json["sourceServerID"]?.stringValue
            isDrill = json["isDrill"]?.boolValue ?? false
            let interfaces = json["recoveryInstanceProperties"]?["networkInterfaces"]?.arrayValue ?? []
            let primary = interfaces.first { $0["isPrimary"]?.boolValue == true } ?? interfaces.first
            privateIP = primary?["ips"]?[0]?.stringValue
        }
    }

    /// The DRS part of a source server's launch settings.
    public struct LaunchConfiguration: Sendable, Hashable {
        public var ec2LaunchTemplateID: String?
        public var copyPrivateIp: Bool?
        public var copyTags: Bool?
        public var launchDisposition: String?
        public var osByol: Bool?
        public var targetInstanceTypeRightSizingMethod: String?
        public var postLaunchEnabled: Bool?

        public init(ec2LaunchTemplateID: String? = nil, copyPrivateIp: Bool? = nil, copyTags: Bool? = nil, launchDisposition: String? = nil,
                    osByol: Bool? = nil, targetInstanceTypeRightSizingMethod: String? = nil, postLaunchEnabled: Bool? = nil) {
            self.ec2LaunchTemplateID = ec2LaunchTemplateID
            self.copyPrivateIp = copyPrivateIp
            self.copyTags = copyTags
            self.launchDisposition = launchDisposition
            self.osByol = osByol
            self.targetInstanceTypeRightSizingMethod = targetInstanceTypeRightSizingMethod
            self.postLaunchEnabled = postLaunchEnabled
        }

        init(_ json: JSONValue) {
            self.init(ec2LaunchTemplateID: json["ec2LaunchTemplateID"]?.stringValue, copyPrivateIp: json["copyPrivateIp"]?.boolValue,
                      copyTags: json["copyTags"]?.boolValue, launchDisposition: json["launchDisposition"]?.stringValue,
                      osByol: json["licensing"]?["osByol"]?.boolValue,
                      targetInstanceTypeRightSizingMethod: json["targetInstanceTypeRightSizingMethod"]?.stringValue,
                      postLaunchEnabled: json["postLaunchEnabled"]?.boolValue)
        }

        /// The UpdateLaunchConfiguration fields for what `desired` sets and this configuration
        /// does not already have; empty when nothing would change.
        public func changes(toward desired: LaunchConfiguration) -> JSONObject {
            var body = JSONObject()
            if let value = desired.copyPrivateIp, value != copyPrivateIp { body["copyPrivateIp"] = .bool(value) }
            if let value = desired.copyTags, value != copyTags { body["copyTags"] = .bool(value) }
            if let value = desired.launchDisposition, value != launchDisposition { body["launchDisposition"] = .string(value) }
            if let value = desired.osByol, value != osByol { body["licensing"] = ["osByol": .bool(value)] }
            if let value = desired.targetInstanceTypeRightSizingMethod, value != targetInstanceTypeRightSizingMethod {
                body["targetInstanceTypeRightSizingMethod"] = .string(value)
            }
            if let value = desired.postLaunchEnabled, value != postLaunchEnabled { body["postLaunchEnabled"] = .bool(value) }
            return body
        }
    }

    // MARK: Calls

    public func describeSourceServers(ids: [String]? = nil) async throws -> [SourceServer] {
        var filters = JSONObject()
        if let ids { filters["sourceServerIDs"] = .array(ids.map(JSONValue.string)) }
        return try await paged("DescribeSourceServers", ["filters": .object(filters)]).map(SourceServer.init)
    }

    public func getLaunchConfiguration(sourceServerID: String) async throws -> LaunchConfiguration {
        LaunchConfiguration(try await client.restJSONPost(.drs, "GetLaunchConfiguration", ["sourceServerID": .string(sourceServerID)]))
    }

    public func updateLaunchConfiguration(sourceServerID: String, changes: JSONObject) async throws {
        var body = changes
        body["sourceServerID"] = .string(sourceServerID)
        _ = try await client.restJSONPost(.drs, "UpdateLaunchConfiguration", .object(body))
    }

    public func startRecovery(sourceServerIDs: [String], isDrill: Bool, tags: [String: String]) async throws -> Job {
        let body: JSONValue = [
            "sourceServers": .array(sourceServerIDs.map { ["sourceServerID": .string($0)] }),
            "isDrill": .bool(isDrill),
            "tags": .object(JSONObject(tags.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
        ]
        let output = try await client.restJSONPost(.drs, "StartRecovery", body)
        guard let job = output["job"] else { throw malformed("StartRecovery", "the response has no job") }
        return Job(job)
    }

    /// Jobs, newest first as DRS returns them; `from` limits by creation date (ISO 8601).
    public func describeJobs(ids: [String]? = nil, from: String? = nil) async throws -> [Job] {
        var filters = JSONObject()
        if let ids { filters["jobIDs"] = .array(ids.map(JSONValue.string)) }
        if let from { filters["fromDate"] = .string(from) }
        return try await paged("DescribeJobs", ["filters": .object(filters)]).map(Job.init)
    }

    public func describeRecoveryInstances(ids: [String]? = nil, sourceServerIDs: [String]? = nil) async throws -> [RecoveryInstance] {
        var filters = JSONObject()
        if let ids { filters["recoveryInstanceIDs"] = .array(ids.map(JSONValue.string)) }
        if let sourceServerIDs { filters["sourceServerIDs"] = .array(sourceServerIDs.map(JSONValue.string)) }
        return try await paged("DescribeRecoveryInstances", ["filters": .object(filters)]).map(RecoveryInstance.init)
    }

    public func terminateRecoveryInstances(ids: [String]) async throws -> Job {
        let output = try await client.restJSONPost(.drs, "TerminateRecoveryInstances", ["recoveryInstanceIDs": .array(ids.map(JSONValue.string))])
        guard let job = output["job"] else { throw malformed("TerminateRecoveryInstances", "the response has no job") }
        return Job(job)
    }

    /// Returns the ARN of the source server that replicates back.
    public func reverseReplication(recoveryInstanceID: String) async throws -> String? {
        try await client.restJSONPost(.drs, "ReverseReplication", ["recoveryInstanceID": .string(recoveryInstanceID)])["reversedDirectionSourceServerArn"]?.stringValue
    }

    public func stopReplication(sourceServerID: String) async throws {
        _ = try await client.restJSONPost(.drs, "StopReplication", ["sourceServerID": .string(sourceServerID)])
    }

    public func disconnectSourceServer(sourceServerID: String) async throws {
        _ = try await client.restJSONPost(.drs, "DisconnectSourceServer", ["sourceServerID": .string(sourceServerID)])
    }

    // MARK: Plumbing

    private func paged(_ operation: String, _ input: JSONObject) async throws -> [JSONValue] {
        try await AWSPagination.collect(service: "drs", operation: operation) { token in
            var body = input
            body["maxResults"] = 200
            if let token { body["nextToken"] = .string(token) }
            let output = try await client.restJSONPost(.drs, operation, .object(body))
            return (output["items"]?.arrayValue ?? [], output["nextToken"]?.stringValue)
        }
    }

    private func malformed(_ operation: String, _ message: String) -> AWSError {
        AWSError(kind: .malformedResponse, service: "drs", operation: operation, code: "MalformedResponse", message: message)
    }

    static func tags(_ json: JSONValue?) -> [String: String] {
        var tags: [String: String] = [:]
        for (key, value) in json?.objectValue ?? JSONObject() { tags[key] = value.stringValue ?? "" }
        return tags
    }
}
