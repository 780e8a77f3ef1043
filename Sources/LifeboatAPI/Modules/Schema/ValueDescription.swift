import YAML

extension JSONValue {
    /// How a value is named in "expected integer, got string \"four\"" messages. Lists and
    /// objects are named, not printed: they can be large.
    var messageDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): "boolean \(b)"
        case .int(let i): "integer \(i)"
        case .double(let d): "number \(d)"
        case .string(let s): "string \"\(s.truncatedForMessage)\""
        case .array: "list"
        case .object: "object"
        }
    }
}

extension String {
    /// Values are quoted in messages; a 10 kB string would drown the rest of the report.
    var truncatedForMessage: String {
        count <= 80 ? self : String(prefix(77)) + "..."
    }
}
