/// Constraints on a string value. Empty strings are refused by default: an empty identifier is
/// always a mistake in these parameters, and AWS would only say so mid-run.
public struct StringRule: Sendable {
    public var minLength: Int
    public var maxLength: Int?
    /// When set, the value must be one of these (exact case; a case-only mismatch gets a hint).
    public var allowedValues: [String]?
    /// A format check (identifier rules, ARN shape, …).
    public var format: StringFormat?

    public init(minLength: Int = 1, maxLength: Int? = nil, allowedValues: [String]? = nil, format: StringFormat? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.allowedValues = allowedValues
        self.format = format
    }

    public static func oneOf(_ values: [String]) -> StringRule { StringRule(allowedValues: values) }
    public static func format(_ format: StringFormat) -> StringRule { StringRule(format: format) }

    /// For length problems of strings without a format.
    var lengthHint: String {
        if let maxLength { return "give \(minLength)–\(maxLength) characters" }
        return "give at least \(minLength) character\(minLength == 1 ? "" : "s")"
    }

    var typeDescription: String {
        if let allowedValues { return allowedValues.joined(separator: " | ") }
        if let format { return "string (\(format.name))" }
        switch (minLength, maxLength) {
        case (let lo, let hi?) where lo > 1: return "string, \(lo)–\(hi) chars"
        case (_, let hi?): return "string, ≤ \(hi) chars"
        default: return "string"
        }
    }
}
