/// Gives a scalar node its JSON value: untagged plain scalars by the kubectl resolution table
/// (PlainScalar), quoted and block scalars as text, explicit standard tags by their meaning.
enum ScalarResolver {
    struct Problem: Error { let message: String }

    static func value(of text: String, style: ScalarStyle, tag: String?) throws(Problem) -> JSONValue {
        guard let tag else {
            return style == .plain ? json(PlainScalar.resolve(text), text: text) : .string(text)
        }
        do {
            try YAMLTag.validate(tag, on: .scalar, scalarText: style == .plain ? text : YAMLScalarWriter.doubleQuoted(text))
        } catch {
            throw Problem(message: error.message)
        }
        switch YAMLTag(tag) {
        case .str, .binary, .nonSpecific, .merge:
            return .string(text)
        case .timestamp:
            guard Timestamp.matches(text) else { throw mismatch(text, tag) }
            return .string(text)
        case .int:
            switch GoInteger.parse(Array(text.utf8).filter { $0 != UInt8(ascii: "_") }) {
            case .int(let value): return .int(value)
            case .unsigned(let value): return .double(Double(value))
            case .invalid: throw mismatch(text, tag)
            }
        case .float:
            switch PlainScalar.resolve(text) {
            case .int(let value): return .double(Double(value))
            case .float(let value): return .double(value)
            default: throw mismatch(text, tag)
            }
        case .bool:
            guard case .bool(let value) = PlainScalar.resolve(text) else { throw mismatch(text, tag) }
            return .bool(value)
        case .null:
            guard PlainScalar.resolve(text) == .null else { throw mismatch(text, tag) }
            return .null
        case .seq, .map, .unsupported:
            // validate() has already refused these on a scalar.
            throw Problem(message: "tag \(tag) cannot be used on a scalar")
        }
    }

    private static func json(_ scalar: PlainScalar, text: String) -> JSONValue {
        switch scalar {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .float(let value): .double(value)
        case .timestamp, .string: .string(text)
        }
    }

    private static func mismatch(_ text: String, _ tag: String) -> Problem {
        Problem(message: "the value \(YAMLScalarWriter.doubleQuoted(text)) cannot be read as \(tag)")
    }
}
