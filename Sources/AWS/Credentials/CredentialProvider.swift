/// A source of AWS credentials. Providers are small and do one lookup each; caching,
/// refreshing and the order of the chain are separate (CachingCredentialProvider,
/// CredentialProviderChain).
public protocol CredentialProvider: Sendable {
    /// A name for messages: `environment`, `web-identity`, `profile dr`, …
    var name: String { get }
    /// Credentials, or `CredentialError.notConfigured` when this source is not set up (so a
    /// chain moves on), or another error when it is set up but failed (so a chain stops).
    func credentials() async throws -> AWSCredentials
}

/// Why credentials could not be had. Messages name the variable, file or endpoint and the fix,
/// never a secret.
public struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    public var provider: String
    public var message: String
    /// True when the source is simply not configured: a chain tries the next one.
    public var notConfigured: Bool
    /// The AWS call that failed (sts:AssumeRole, say), so its failure is classified by the same
    /// transient/permanent rules as any other call's.
    public var cause: AWSError?

    public init(provider: String, message: String, notConfigured: Bool = false, cause: AWSError? = nil) {
        self.provider = provider
        self.message = message
        self.notConfigured = notConfigured
        self.cause = cause
    }

    public static func notConfigured(_ provider: String, _ message: String) -> CredentialError {
        CredentialError(provider: provider, message: message, notConfigured: true)
    }

    public var description: String { "\(provider) credentials: \(message)" }
}

/// Fixed credentials (tests, `drctl` flags).
public struct StaticCredentialProvider: CredentialProvider {
    public let name = "static"
    private let value: AWSCredentials
    public init(_ credentials: AWSCredentials) { value = credentials }
    public func credentials() async throws -> AWSCredentials { value }
}
