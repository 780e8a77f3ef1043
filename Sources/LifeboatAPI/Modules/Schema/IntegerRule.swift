/// Constraints on a whole number: inclusive bounds, or a closed set of allowed values.
public struct IntegerRule: Sendable {
    public var minimum: Int?
    public var maximum: Int?
    public var allowedValues: [Int]?

    public init(minimum: Int? = nil, maximum: Int? = nil, allowedValues: [Int]? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.allowedValues = allowedValues
    }

    public static func range(_ range: ClosedRange<Int>) -> IntegerRule { IntegerRule(minimum: range.lowerBound, maximum: range.upperBound) }
    public static func atLeast(_ minimum: Int) -> IntegerRule { IntegerRule(minimum: minimum) }
    public static func oneOf(_ values: [Int]) -> IntegerRule { IntegerRule(allowedValues: values) }

    /// nil when `value` satisfies the rule, otherwise the message.
    func problem(with value: Int) -> String? {
        if let allowedValues, !allowedValues.contains(value) {
            return "\(value) is not allowed; must be one of \(allowedValues.map(String.init).joined(separator: ", "))"
        }
        switch (minimum, maximum) {
        case (let lo?, let hi?) where value < lo || value > hi: return "\(value) is out of range; must be between \(lo) and \(hi)"
        case (let lo?, nil) where value < lo: return "\(value) is too small; must be at least \(lo)"
        case (nil, let hi?) where value > hi: return "\(value) is too large; must be at most \(hi)"
        default: return nil
        }
    }

    /// What to write instead of an out-of-range value.
    var hint: String {
        if let allowedValues { return "use one of \(allowedValues.map(String.init).joined(separator: ", "))" }
        switch (minimum, maximum) {
        case (let lo?, let hi?): return "use a whole number from \(lo) to \(hi)"
        case (let lo?, nil): return "use a whole number of at least \(lo)"
        case (nil, let hi?): return "use a whole number of at most \(hi)"
        case (nil, nil): return "use a whole number"
        }
    }

    var typeDescription: String {
        if let allowedValues { return "integer: " + allowedValues.map(String.init).joined(separator: " | ") }
        switch (minimum, maximum) {
        case (let lo?, let hi?): return "integer \(lo)–\(hi)"
        case (let lo?, nil): return "integer ≥ \(lo)"
        case (nil, let hi?): return "integer ≤ \(hi)"
        case (nil, nil): return "integer"
        }
    }
}
