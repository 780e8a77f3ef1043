import YAML

/// Constraints on a list: size, and what makes two items duplicates.
public struct ListRule: Sendable {
    public var minItems: Int
    public var maxItems: Int?
    public var unique: UniqueRule?

    public init(minItems: Int = 1, maxItems: Int? = nil, unique: UniqueRule? = nil) {
        self.minItems = minItems
        self.maxItems = maxItems
        self.unique = unique
    }
}

/// Two items are duplicates when their keys are equal. The key function returns nil for an item
/// that cannot be compared statically (it holds a reference, or is malformed and reported anyway).
public struct UniqueRule: Sendable {
    /// Completes "duplicate of Items[0]: …", e.g. "the same EcsClusterName and EcsServiceName".
    public let what: String
    public let severity: ValidationProblem.Severity
    public let key: @Sendable (JSONValue) -> String?

    public init(what: String, severity: ValidationProblem.Severity = .error, key: @escaping @Sendable (JSONValue) -> String?) {
        self.what = what
        self.severity = severity
        self.key = key
    }

    /// Strings compared as written (or case-insensitively); references are never duplicates.
    public static func strings(caseInsensitive: Bool = false, severity: ValidationProblem.Severity = .error) -> UniqueRule {
        UniqueRule(what: "the same value", severity: severity) { value in
            guard let text = value.literalString else { return nil }
            return caseInsensitive ? text.lowercased() : text
        }
    }

    /// Objects compared on the listed fields (all must be literal strings or numbers).
    public static func fields(_ names: [String], normalise: @escaping @Sendable (String, String) -> String = { _, v in v }) -> UniqueRule {
        UniqueRule(what: "the same " + names.joined(separator: ", ")) { value in
            guard let object = value.objectValue else { return nil }
            var parts: [String] = []
            for name in names {
                switch object[name] {
                case nil, .null?: parts.append("")
                case .string(let s)? where ParameterReference.parse(s) == nil: parts.append(normalise(name, s))
                case .int(let i)?: parts.append(String(i))
                default: return nil
                }
            }
            return parts.joined(separator: "\u{1F}")
        }
    }
}

extension JSONValue {
    /// The string, unless it is a parameter reference (whose value is unknown until run time).
    var literalString: String? {
        guard case .string(let s) = self, ParameterReference.parse(s) == nil else { return nil }
        return s
    }

    /// The whole number (integral doubles included), unless it is a reference or not a number.
    var literalInt: Int? {
        switch self {
        case .int(let i): i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: Int(d)
        default: nil
        }
    }

    var isReference: Bool {
        if case .string(let s) = self, case .success? = ParameterReference.parse(s) { true } else { false }
    }
}
