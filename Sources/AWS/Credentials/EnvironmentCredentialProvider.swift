/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN` and
/// `AWS_CREDENTIAL_EXPIRATION`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let name = "environment"
    let environment: AWSEnvironment

    public init(environment: AWSEnvironment = .process) { self.environment = environment }

    public func credentials() async throws -> AWSCredentials {
        let key = environment["AWS_ACCESS_KEY_ID"], secret = environment["AWS_SECRET_ACCESS_KEY"]
        guard key != nil || secret != nil else {
            throw CredentialError.notConfigured(name, "AWS_ACCESS_KEY_ID is not set")
        }
        guard let key, let secret else {
            throw CredentialError(provider: name, message: key == nil ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                                                                      : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"],
                              expiration: environment["AWS_CREDENTIAL_EXPIRATION"].flatMap(AWSTimestamp.parseISO8601), source: name)
    }
}
