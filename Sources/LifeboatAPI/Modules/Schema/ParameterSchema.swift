/// The shape of a module's `parameters`: a small declarative schema that the validator walks and
/// the docs describe. Any string value may be a parameter reference resolved at run time, so a
/// well-formed reference is accepted wherever a value is expected (see `SchemaValidator`).
public indirect enum ParameterSchema: Sendable {
    /// A string, with optional length limits, allowed values and format check.
    case string(StringRule = StringRule())
    /// A whole number with optional bounds or allowed values.
    case integer(IntegerRule = IntegerRule())
    /// true/false; `acceptsYesNo` also takes the enterprise manifests' "Yes"/"No" strings.
    case boolean(acceptsYesNo: Bool = false)
    /// An instant: RFC 3339 (`2026-11-21T10:00:00Z`) or the enterprise `2026-11-21 10:00:00` (UTC).
    case timestamp
    /// One string, or a list of them (the enterprise manifests use both for the same key).
    case stringOrList(StringRule = StringRule(), ListRule = ListRule())
    /// A list whose items all follow one schema.
    case list(ParameterSchema, ListRule = ListRule())
    /// An object of string keys to string values (tags); keys are non-empty.
    case stringMap(value: StringRule = StringRule(minLength: 0), minEntries: Int = 1)
    /// Any JSON value (a Lambda payload); only its references are checked.
    case any
    /// An object with known fields and cross-field rules.
    case object(ObjectSchema)

    /// Short type text for docs and `--help`: "integer 1–100", "list of string", …
    public var typeDescription: String {
        switch self {
        case .string(let rule): rule.typeDescription
        case .integer(let rule): rule.typeDescription
        case .boolean(let yesNo): yesNo ? "boolean (or \"Yes\"/\"No\")" : "boolean"
        case .timestamp: "timestamp"
        case .stringOrList(let rule, _): "string or list of strings" + (rule.format.map { " (\($0.name))" } ?? "")
        case .list(let item, _): "list of \(item.typeDescription)"
        case .stringMap: "map string→string"
        case .any: "any JSON"
        case .object: "object"
        }
    }

    /// The object schema, when this is an object (the root of every module's parameters is).
    public var objectSchema: ObjectSchema? {
        if case .object(let schema) = self { schema } else { nil }
    }

    /// The schema of a list's items (for docs that describe `Items[]` fields).
    public var itemSchema: ParameterSchema? {
        if case .list(let item, _) = self { item } else { nil }
    }
}
