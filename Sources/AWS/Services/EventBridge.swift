import YAML

/// The EventBridge calls the EventBridge and EventArchive modules make (json 1.1, `AWSEvents.*`).
public struct EventBridge: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct Rule: Sendable, Hashable {
        public var name: String
        public var arn: String
        /// ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
        public var state: String
        /// Set on rules another AWS service created and owns (they cannot be enabled or disabled by us).
        public var managedBy: String?

        public var isEnabled: Bool { state.hasPrefix("ENABLED") }
    }

    public struct Archive: Sendable, Hashable {
        public var name: String
        public var arn: String
        /// The bus whose events it keeps: replays may only go back to it.
        public var eventSourceArn: String
        /// ENABLED, DISABLED, CREATING, UPDATING, CREATE_FAILED, UPDATE_FAILED.
        public var state: String
        /// 0: kept for ever.
        public var retentionDays: Int
        public var creationTime: Double?
    }

    public struct Replay: Sendable, Hashable {
        public var name: String
        public var arn: String
        /// STARTING, RUNNING, CANCELLING, COMPLETED, CANCELLED, FAILED.
        public var state: String
        public var stateReason: String?
        public var eventSourceArn: String
        public var destinationArn: String
    }

    public func describeRule(_ name: String, bus: String) async throws -> Rule {
        let output = try await client.json(.eventBridge, "DescribeRule", ["Name": .string(name), "EventBusName": .string(bus)])
        return Rule(name: output["Name"]?.stringValue ?? name, arn: output["Arn"]?.stringValue ?? "",
                    state: output["State"]?.stringValue ?? "", managedBy: output["ManagedBy"]?.stringValue)
    }

    public func enableRule(_ name: String, bus: String) async throws {
        _ = try await client.json(.eventBridge, "EnableRule", ["Name": .string(name), "EventBusName": .string(bus)])
    }

    public func disableRule(_ name: String, bus: String) async throws {
        _ = try await client.json(.eventBridge, "DisableRule", ["Name": .string(name), "EventBusName": .string(bus)])
    }

    public func tags(of arn: String) async throws -> [String: String] {
        let output = try await client.json(.eventBridge, "ListTagsForResource", ["ResourceARN": .string(arn)])
        return Dictionary((output["Tags"]?.arrayValue ?? []).compactMap { tag in
            tag["Key"]?.stringValue.map { ($0, tag["Value"]?.stringValue ?? "") }
        }, uniquingKeysWith: { first, _ in first })
    }

    public func tag(_ arn: String, key: String, value: String) async throws {
        _ = try await client.json(.eventBridge, "TagResource",
                                  ["ResourceARN": .string(arn), "Tags": [["Key": .string(key), "Value": .string(value)]]])
    }

    public func untag(_ arn: String, key: String) async throws {
        _ = try await client.json(.eventBridge, "UntagResource", ["ResourceARN": .string(arn), "TagKeys": [.string(key)]])
    }

    /// The ARN of a bus given by name or ARN.
    public func busArn(_ nameOrArn: String) async throws -> String {
        let output = try await client.json(.eventBridge, "DescribeEventBus", ["Name": .string(nameOrArn)])
        return output["Arn"]?.stringValue ?? ""
    }

    public func describeArchive(_ name: String) async throws -> Archive {
        let output = try await client.json(.eventBridge, "DescribeArchive", ["ArchiveName": .string(name)])
        return Archive(name: output["ArchiveName"]?.stringValue ?? name, arn: output["ArchiveArn"]?.stringValue ?? "",
                       eventSourceArn: output["EventSourceArn"]?.stringValue ?? "", state: output["State"]?.stringValue ?? "",
                       retentionDays: output["RetentionDays"]?.intValue ?? 0, creationTime: output["CreationTime"]?.numberValue)
    }

    /// Starts a replay of `archiveArn` onto `destinationArn` for [start, end] (seconds since 1970).
    public func startReplay(name: String, archiveArn: String, start: Double, end: Double, destinationArn: String,
                            description: String) async throws -> String {
        let output = try await client.json(.eventBridge, "StartReplay", [
            "ReplayName": .string(name), "Description": .string(description), "EventSourceArn": .string(archiveArn),
            "EventStartTime": .double(start), "EventEndTime": .double(end), "Destination": ["Arn": .string(destinationArn)],
        ])
        return output["State"]?.stringValue ?? "STARTING"
    }

    public func describeReplay(_ name: String) async throws -> Replay {
        let output = try await client.json(.eventBridge, "DescribeReplay", ["ReplayName": .string(name)])
        return Replay(name: output["ReplayName"]?.stringValue ?? name, arn: output["ReplayArn"]?.stringValue ?? "",
                      state: output["State"]?.stringValue ?? "", stateReason: output["StateReason"]?.stringValue,
                      eventSourceArn: output["EventSourceArn"]?.stringValue ?? "", destinationArn: output["Destination"]?["Arn"]?.stringValue ?? "")
    }
}
