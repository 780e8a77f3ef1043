import YAML

/// One known key of an object schema, with what the docs say about it.
public struct ParameterField: Sendable {
    public let name: String
    public let schema: ParameterSchema
    public let requirement: FieldRequirement
    /// The value a module uses when the key is absent (documentation; validation never injects it).
    public let defaultValue: JSONValue?
    /// One line for docs and `--help`.
    public let notes: String

    public init(_ name: String, _ schema: ParameterSchema, _ requirement: FieldRequirement = .optional,
                default defaultValue: JSONValue? = nil, notes: String = "") {
        self.name = name
        self.schema = schema
        self.requirement = requirement
        self.defaultValue = defaultValue
        self.notes = notes
    }

    public static func required(_ name: String, _ schema: ParameterSchema, notes: String = "") -> ParameterField {
        ParameterField(name, schema, .required, notes: notes)
    }

    public static func optional(_ name: String, _ schema: ParameterSchema, default defaultValue: JSONValue? = nil,
                                notes: String = "") -> ParameterField {
        ParameterField(name, schema, .optional, default: defaultValue, notes: notes)
    }

    public static func required(_ name: String, _ schema: ParameterSchema, for phases: [Phase], notes: String = "") -> ParameterField {
        ParameterField(name, schema, .requiredFor(phases), notes: notes)
    }
}
