import YAML

/// The ECS calls the EcsService module makes (json 1.1).
public struct ECS: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct Service: Sendable, Hashable {
        public struct Deployment: Sendable, Hashable {
            /// PRIMARY, ACTIVE, INACTIVE.
            public var status: String
            /// IN_PROGRESS, COMPLETED, FAILED (absent on services without the deployment circuit breaker).
            public var rolloutState: String?
            public var rolloutStateReason: String?
            public var failedTasks: Int
        }

        public var name: String
        public var arn: String
        /// ACTIVE, DRAINING, INACTIVE.
        public var status: String
        public var desiredCount: Int
        public var runningCount: Int
        public var pendingCount: Int
        public var deployments: [Deployment]
    }

    public struct Failure: Sendable, Hashable {
        public var arn: String
        public var reason: String
    }

    public func describeServices(cluster: String, services: [String]) async throws -> (services: [Service], failures: [Failure]) {
        let output = try await client.json(.ecs, "DescribeServices", ["cluster": .string(cluster), "services": .array(services.map(JSONValue.string))])
        let found = (output["services"]?.arrayValue ?? []).map { service in
            Service(name: service["serviceName"]?.stringValue ?? "", arn: service["serviceArn"]?.stringValue ?? "",
                    status: service["status"]?.stringValue ?? "", desiredCount: service["desiredCount"]?.intValue ?? 0,
                    runningCount: service["runningCount"]?.intValue ?? 0, pendingCount: service["pendingCount"]?.intValue ?? 0,
                    deployments: (service["deployments"]?.arrayValue ?? []).map {
                        Service.Deployment(status: $0["status"]?.stringValue ?? "", rolloutState: $0["rolloutState"]?.stringValue,
                                           rolloutStateReason: $0["rolloutStateReason"]?.stringValue, failedTasks: $0["failedTasks"]?.intValue ?? 0)
                    })
        }
        let failures = (output["failures"]?.arrayValue ?? []).map {
            Failure(arn: $0["arn"]?.stringValue ?? "", reason: [$0["reason"]?.stringValue, $0["detail"]?.stringValue].compactMap { $0 }.joined(separator: ": "))
        }
        return (found, failures)
    }

    public func updateService(cluster: String, service: String, desiredCount: Int) async throws {
        _ = try await client.json(.ecs, "UpdateService", ["cluster": .string(cluster), "service": .string(service), "desiredCount": .int(desiredCount)])
    }

    public func tags(of arn: String) async throws -> [String: String] {
        let output = try await client.json(.ecs, "ListTagsForResource", ["resourceArn": .string(arn)])
        return Dictionary((output["tags"]?.arrayValue ?? []).compactMap { tag in
            tag["key"]?.stringValue.map { ($0, tag["value"]?.stringValue ?? "") }
        }, uniquingKeysWith: { first, _ in first })
    }

    public func tag(_ arn: String, key: String, value: String) async throws {
        _ = try await client.json(.ecs, "TagResource", ["resourceArn": .string(arn), "tags": [["key": .string(key), "value": .string(value)]]])
    }

    public func untag(_ arn: String, key: String) async throws {
        _ = try await client.json(.ecs, "UntagResource", ["resourceArn": .string(arn), "tagKeys": [.string(key)]])
    }
}

/// The Application Auto Scaling calls for ECS services' scalable targets (json 1.1).
public struct ApplicationAutoScaling: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct ScalableTarget: Sendable, Hashable {
        public var minCapacity: Int
        public var maxCapacity: Int
    }

    /// `service/<cluster>/<service>`, the resource id of an ECS service's desired count.
    public static func ecsResourceID(cluster: String, service: String) -> String {
        "service/\(ECS.shortName(cluster))/\(ECS.shortName(service))"
    }

    public func describeScalableTarget(resourceID: String) async throws -> ScalableTarget? {
        let output = try await client.json(.applicationAutoScaling, "DescribeScalableTargets", [
            "ServiceNamespace": "ecs", "ResourceIds": [.string(resourceID)], "ScalableDimension": "ecs:service:DesiredCount",
        ])
        return output["ScalableTargets"]?[0].map {
            ScalableTarget(minCapacity: $0["MinCapacity"]?.intValue ?? 0, maxCapacity: $0["MaxCapacity"]?.intValue ?? 0)
        }
    }

    public func registerScalableTarget(resourceID: String, minCapacity: Int, maxCapacity: Int) async throws {
        _ = try await client.json(.applicationAutoScaling, "RegisterScalableTarget", [
            "ServiceNamespace": "ecs", "ResourceId": .string(resourceID), "ScalableDimension": "ecs:service:DesiredCount",
            "MinCapacity": .int(minCapacity), "MaxCapacity": .int(maxCapacity),
        ])
    }
}

extension ECS {
    /// The name part of a cluster or service ARN (`arn:…:service/cluster/name` → `name`), or the name itself.
    public static func shortName(_ nameOrARN: String) -> String {
        guard nameOrARN.hasPrefix("arn:") else { return nameOrARN }
        return nameOrARN.split(separator: "/").last.map(String.init) ?? nameOrARN
    }
}
