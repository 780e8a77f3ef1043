import AWS
import YAML

/// A parameter reference that could not be resolved. It names the reference (never a value),
/// where it was written, and the account and region it was looked up in.
public struct ReferenceResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The canonical spelling, e.g. `resolve:ssm:/dr/orders/endpoint`.
    public var reference: String
    public var path: FieldPath
    public var account: String
    public var region: String
    public var code: String
    public var message: String
    public var hint: String?
    /// The lookup failed for a passing reason (throttling, a 5xx, a dropped connection): the
    /// next attempt may succeed.
    public var isRetryable: Bool = false

    public var description: String {
        var text = "reference \(reference)" + (path.isRoot ? "" : " at \(path)")
            + " (account \(account), \(region)) did not resolve: \(code)"
        if !message.isEmpty { text += ": \(message)" }
        if let hint { text += "; hint: \(hint)" }
        return text
    }
}
