import HTTP

/// Tries providers in order and sticks with the first that works. A provider that is not
/// configured is skipped; one that is configured but fails stops the chain with its error, so a
/// broken IRSA setup is reported instead of silently falling through to another identity.
public actor CredentialProviderChain: CredentialProvider {
    public nonisolated let name: String
    let providers: [any CredentialProvider]
    private var chosen: (any CredentialProvider)?

    public init(_ providers: [any CredentialProvider]) {
        self.providers = providers
        self.name = "chain(" + providers.map(\.name).joined(separator: ", ") + ")"
    }

    /// The SDKs' default order: environment, web identity, shared profile, container, IMDS,
    /// as the Java and Go SDKs order them; cached and refreshed before expiry.
    public static func standard(environment: AWSEnvironment = .process, http: HTTPClient = HTTPClient(),
                                retry: RetryConfiguration = RetryConfiguration()) -> CachingCredentialProvider {
        CachingCredentialProvider(CredentialProviderChain([
            EnvironmentCredentialProvider(environment: environment),
            WebIdentityCredentialProvider(environment: environment, http: http, retry: retry),
            SharedConfigCredentialProvider(environment: environment, http: http, retry: retry),
            ContainerCredentialProvider(environment: environment, http: http),
            IMDSCredentialProvider(environment: environment, http: http),
        ]))
    }

    public func credentials() async throws -> AWSCredentials {
        if let chosen { return try await chosen.credentials() }
        var skipped: [String] = []
        for provider in providers {
            do {
                let credentials = try await provider.credentials()
                chosen = provider
                return credentials
            } catch let error as CredentialError where error.notConfigured {
                skipped.append("\(provider.name): \(error.message)")
            }
        }
        throw CredentialError.notConfigured("default chain", "no credentials found; tried " + skipped.joined(separator: "; "))
    }
}
