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
            .required("Items", .list(.object(item), ListRule(unique: sameRule)), notes: "the rules to enable or disable"),
        ]))

    static let item = ObjectSchema([
        .required("EventRuleName", .string(StringRule(maxLength: 64, format: .eventName)), notes: "rule name, 1–64 letters, digits and . - _"),
        .optional("BusName", .string(StringRule(maxLength: 1600, format: .eventBusName)), default: "default",
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
