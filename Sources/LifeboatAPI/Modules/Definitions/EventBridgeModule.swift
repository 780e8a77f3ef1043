import YAML

/// EventBridge rules enabled in the standby and disabled in the old primary (MODULES.md).
enum EventBridgeModule {
    static let descriptor = ModuleDescriptor(
        name: .eventBridge,
        summary: "Enable EventBridge rules (Activate) and disable them (Cleanup)",
        supportedPhases: [.activate, .cleanup],
        defaultTimeout: .minutes(10),
        drillDefault: .validate,
        parameters: ObjectSchema([
            .required(EventBridgeParameters.Key.items.rawValue, .list(.object(item), ListRule(unique: sameRule)), notes: "the rules to enable or disable"),
        ]))

    static let item = ObjectSchema([
        .required(EventBridgeParameters.Rule.Key.eventRuleName.rawValue, .string(StringRule(maxLength: 64, format: .eventName)), notes: "rule name, 1–64 letters, digits and . - _"),
        .optional(EventBridgeParameters.Rule.Key.busName.rawValue, .string(StringRule(maxLength: 1600, format: .eventBusName)), default: "default",
                  notes: "bus name or ARN"),
    ])

    /// An absent BusName is the default bus, so `{EventRuleName: a}` and `{EventRuleName: a, BusName: default}` are the same rule.
    private static let sameRule = UniqueRule(what: "the same EventRuleName on the same bus") { value in
        guard let object = value.objectValue, let rule = object["EventRuleName"]?.literalString else { return nil }
        let bus: String
        switch object["BusName"] {
        case nil, .null?: bus = "default"
        case let value?:
            guard let literal = value.literalString else { return nil }
            bus = literal
        }
        return bus + "\u{1F}" + rule
    }
}

/// EventBridge's parameters as the module reads them, decoded from the resolved parameters with
/// the catalog's defaults filled in. The keys are spelled once, here, for the schema and the decoder.
public struct EventBridgeParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey { case items = "Items" }
    public var items: [Rule]

    public struct Rule: Decodable, Sendable, Hashable {
        public enum Key: String, CodingKey {
            case eventRuleName = "EventRuleName"
            case busName = "BusName"
        }
        public var eventRuleName: String
        public var busName: String

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            eventRuleName = try container.decode(String.self, forKey: .eventRuleName)
            busName = try container.decode(String.self, forKey: .busName)
        }
    }

    public init(from decoder: any Decoder) throws {
        items = try decoder.container(keyedBy: Key.self).decode([Rule].self, forKey: .items)
    }
}
