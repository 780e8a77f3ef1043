/// The EC2 Auto Scaling calls the AutoScaling module makes (query protocol).
public struct AutoScaling: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct Group: Sendable, Hashable {
        public struct Instance: Sendable, Hashable {
            public var id: String
            /// Pending, InService, Terminating, …
            public var lifecycleState: String
            /// Healthy or Unhealthy.
            public var health: String
        }

        public var name: String
        public var minSize: Int
        public var maxSize: Int
        public var desiredCapacity: Int
        public var instances: [Instance]
        public var tags: [String: String] = [:]

        public var healthyInService: Int { instances.filter { $0.lifecycleState == "InService" && $0.health == "Healthy" }.count }
    }

    public struct Activity: Sendable, Hashable {
        public var id: String
        /// Successful, Failed, Cancelled, InProgress, …
        public var statusCode: String
        public var statusMessage: String?
        public var description: String?
        public var startTime: String?
    }

    public func describeGroups(_ names: [String]) async throws -> [Group] {
        try await AWSPagination.collect(service: "autoscaling", operation: "DescribeAutoScalingGroups") { token in
            var parameters = QueryParameters()
            parameters.list("AutoScalingGroupNames", names)
            parameters.add("NextToken", token)
            let result = try await client.query(.autoScaling, "DescribeAutoScalingGroups", parameters).queryResult()
            let groups = (result["AutoScalingGroups"]?.members ?? []).map { group in
                Group(name: group.string("AutoScalingGroupName") ?? "", minSize: Int(group.string("MinSize") ?? "") ?? 0,
                      maxSize: Int(group.string("MaxSize") ?? "") ?? 0, desiredCapacity: Int(group.string("DesiredCapacity") ?? "") ?? 0,
                      instances: (group["Instances"]?.members ?? []).map {
                          Group.Instance(id: $0.string("InstanceId") ?? "", lifecycleState: $0.string("LifecycleState") ?? "",
                                         health: $0.string("HealthStatus") ?? "")
                      },
                      tags: Dictionary((group["Tags"]?.members ?? []).compactMap { tag in
                          tag.string("Key").map { ($0, tag.string("Value") ?? "") }
                      }, uniquingKeysWith: { first, _ in first }))
            }
            return (groups, result.string("NextToken"))
        }
    }

    public func updateGroup(_ name: String, minSize: Int, maxSize: Int?, desiredCapacity: Int) async throws {
        var parameters: QueryParameters = [("AutoScalingGroupName", name)]
        parameters.add("MinSize", minSize)
        parameters.add("MaxSize", maxSize)
        parameters.add("DesiredCapacity", desiredCapacity)
        _ = try await client.query(.autoScaling, "UpdateAutoScalingGroup", parameters)
    }

    /// Sets one tag on a group (not propagated to its instances).
    public func tagGroup(_ name: String, key: String, value: String) async throws {
        _ = try await client.query(.autoScaling, "CreateOrUpdateTags", [
            ("Tags.member.1.ResourceId", name), ("Tags.member.1.ResourceType", "auto-scaling-group"),
            ("Tags.member.1.Key", key), ("Tags.member.1.Value", value), ("Tags.member.1.PropagateAtLaunch", "false"),
        ])
    }

    public func untagGroup(_ name: String, key: String) async throws {
        _ = try await client.query(.autoScaling, "DeleteTags", [
            ("Tags.member.1.ResourceId", name), ("Tags.member.1.ResourceType", "auto-scaling-group"), ("Tags.member.1.Key", key),
        ])
    }

    /// The most recent scaling activities of a group (one page: the newest come first).
    public func recentActivities(_ name: String, limit: Int = 50) async throws -> [Activity] {
        let result = try await client.query(.autoScaling, "DescribeScalingActivities",
                                            [("AutoScalingGroupName", name), ("MaxRecords", String(limit))]).queryResult()
        return (result["Activities"]?.members ?? []).map {
            Activity(id: $0.string("ActivityId") ?? "", statusCode: $0.string("StatusCode") ?? "", statusMessage: $0.string("StatusMessage"),
                     description: $0.string("Description"), startTime: $0.string("StartTime"))
        }
    }
}
