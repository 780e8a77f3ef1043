import AWS
/// One line of `drctl doctor`: what was checked, whether it passed, and what to do if not.
public struct AccessCheck: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case identity, assumeRole = "assume-role", reference
    }

    public var kind: Kind
    /// What was checked: `base credentials`, `account 222222222222 role lifeboat-execution`,
    /// `session-cache parameters.SubnetGroup resolve:ssm:/dr/…`.
    public var subject: String
    public var passed: Bool
    /// The outcome in a few words (never a secret or a resolved value).
    public var detail: String
    public var hint: String?

    public init(kind: Kind, subject: String, passed: Bool, detail: String, hint: String? = nil) {
        self.kind = kind
        self.subject = subject
        self.passed = passed
        self.detail = detail
        self.hint = hint
    }
}
