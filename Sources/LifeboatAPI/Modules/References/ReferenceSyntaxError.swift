/// Why a string that looks like a parameter reference cannot be one. Reported before any run, so
/// a typo in `resolve:ssm:` fails validation instead of reaching AWS as a literal value.
public struct ReferenceSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending text, as written.
    public var text: String
    /// What is wrong, e.g. `SSM parameter version "x" is not a positive whole number`.
    public var message: String
    /// What to write instead.
    public var hint: String?

    public init(text: String, message: String, hint: String? = nil) {
        self.text = text
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var out = "malformed parameter reference \"\(text)\": \(message)"
        if let hint { out += " (hint: \(hint))" }
        return out
    }
}
