import YAML

/// ECS services scaled for the standby and back to zero (MODULES.md). The enterprise manifest's
/// list of dicts is `Items` here.
enum EcsServiceModule {
    static let descriptor = ModuleDescriptor(
        name: .ecsService,
        summary: "Scale ECS services to EcsDesiredSize (Instantiate) and to 0 (Cleanup), with the Application Auto Scaling minimum",
        supportedPhases: [.instantiate, .cleanup],
        defaultTimeout: .minutes(30),
        drillDefault: .execute,
        parameters: ObjectSchema([
            .required(EcsServiceParameters.Key.items.rawValue,
                      .list(.object(item), ListRule(unique: .fields(["EcsClusterName", "EcsServiceName"]))),
                      notes: "the services to scale"),
        ]))

    static let item = ObjectSchema(
        [
            .required(EcsServiceParameters.Service.Key.ecsClusterName.rawValue, .string(StringRule(maxLength: 255, format: .ecsName("cluster"))), notes: "cluster name or ARN"),
            .required(EcsServiceParameters.Service.Key.ecsServiceName.rawValue, .string(StringRule(maxLength: 255, format: .ecsName("service"))), notes: "service name or ARN"),
            .required(EcsServiceParameters.Service.Key.ecsDesiredSize.rawValue, .integer(.atLeast(0)), notes: "desired count set by Instantiate; Cleanup sets 0"),
            .optional(EcsServiceParameters.Service.Key.ecsAsgMinSize.rawValue, .integer(.atLeast(0)),
                      notes: "Application Auto Scaling minimum set by Instantiate (Cleanup sets 0); untouched when absent"),
        ],
        rules: [
            .custom { item in
                // Application Auto Scaling raises the desired count to the minimum, so the service would not settle at EcsDesiredSize.
                guard let minimum = item.int("EcsAsgMinSize"), let desired = item.int("EcsDesiredSize"), minimum > desired else { return [] }
                return [.warning(item.path("EcsAsgMinSize"),
                                 "EcsAsgMinSize \(minimum) is above EcsDesiredSize \(desired); scaling will raise the service to \(minimum)",
                                 hint: "set EcsDesiredSize to at least \(minimum)")]
            },
        ])
}

/// EcsService's parameters as the module reads them; the keys are spelled once, here.
public struct EcsServiceParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey { case items = "Items" }
    public var items: [Service]

    public struct Service: Decodable, Sendable, Hashable {
        public enum Key: String, CodingKey {
            case ecsClusterName = "EcsClusterName"
            case ecsServiceName = "EcsServiceName"
            case ecsDesiredSize = "EcsDesiredSize"
            case ecsAsgMinSize = "EcsAsgMinSize"
        }
        public var ecsClusterName: String
        public var ecsServiceName: String
        public var ecsDesiredSize: Int
        public var ecsAsgMinSize: Int?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            ecsClusterName = try c.decode(String.self, forKey: .ecsClusterName)
            ecsServiceName = try c.decode(String.self, forKey: .ecsServiceName)
            ecsDesiredSize = try c.decode(Int.self, forKey: .ecsDesiredSize)
            ecsAsgMinSize = try c.decodeIfPresent(Int.self, forKey: .ecsAsgMinSize)
        }
    }

    public init(from decoder: any Decoder) throws {
        items = try decoder.container(keyedBy: Key.self).decode([Service].self, forKey: .items)
    }
}
