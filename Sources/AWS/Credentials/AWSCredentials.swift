/// An access key, its secret and (for temporary credentials) the session token and expiry.
///
/// Printing, dumping or interpolating credentials never shows the secret or the token: only the
/// access key id's last four characters and where they came from.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Seconds since the epoch; nil for long-term keys.
    public var expiration: AWSTimestamp.Seconds?
    /// Which provider produced them (`environment`, `web-identity`, …), for doctor and logs.
    public var source: String
    /// The account, when the provider says (container credentials, AssumeRole).
    public var accountID: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
                expiration: AWSTimestamp.Seconds? = nil, source: String = "static", accountID: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
        self.accountID = accountID
    }

    /// True when they expire within `margin` seconds of `now`.
    public func expires(within margin: Double, now: AWSTimestamp.Seconds) -> Bool {
        guard let expiration else { return false }
        return expiration - now <= margin
    }

    public var redactedKeyID: String { "…" + String(accessKeyID.suffix(4)) }

    public var description: String {
        "AWSCredentials(key \(redactedKeyID) from \(source)"
            + (expiration.map { ", expires \(AWSTimestamp.iso8601($0))" } ?? "") + ", secret redacted)"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
