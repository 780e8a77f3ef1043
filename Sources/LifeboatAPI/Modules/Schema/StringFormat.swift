/// A named format a string must follow (an RDS identifier, a subnet id, …). The check returns
/// what is wrong, or nil when the value is fine; `hint` tells a person what a good value looks like.
public struct StringFormat: Sendable {
    /// Short name for messages and docs: "RDS identifier".
    public let name: String
    /// Shown with every failure: "1–63 letters, digits and hyphens, starting with a letter".
    public let hint: String
    private let check: @Sendable (String) -> String?

    public init(name: String, hint: String, check: @escaping @Sendable (String) -> String?) {
        self.name = name
        self.hint = hint
        self.check = check
    }

    /// nil when `value` is well-formed, otherwise what is wrong with it.
    public func problem(with value: String) -> String? { check(value) }

    /// A format that only says "not a valid <name>" when `isValid` fails.
    public static func simple(_ name: String, hint: String, _ isValid: @escaping @Sendable (String) -> Bool) -> StringFormat {
        StringFormat(name: name, hint: hint) { isValid($0) ? nil : "\"\($0.truncatedForMessage)\" is not a valid \(name)" }
    }
}
