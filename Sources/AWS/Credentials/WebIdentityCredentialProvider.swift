import HTTP

/// EKS IAM Roles for Service Accounts: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`
/// (+ `AWS_ROLE_SESSION_NAME`), exchanged with sts:AssumeRoleWithWebIdentity. The token file
/// is read on every call, because the kubelet rotates it.
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let name = "web-identity"
    let tokenFile: String?
    let roleARN: String?
    let sessionName: String
    let sts: STS

    public init(environment: AWSEnvironment = .process, http: HTTPClient = HTTPClient(), retry: RetryConfiguration = RetryConfiguration()) {
        self.init(tokenFile: environment["AWS_WEB_IDENTITY_TOKEN_FILE"], roleARN: environment["AWS_ROLE_ARN"],
                  sessionName: environment["AWS_ROLE_SESSION_NAME"], environment: environment, http: http, retry: retry)
    }

    public init(tokenFile: String?, roleARN: String?, sessionName: String?, environment: AWSEnvironment, http: HTTPClient,
                retry: RetryConfiguration = RetryConfiguration()) {
        self.tokenFile = tokenFile
        self.roleARN = roleARN
        self.sessionName = sessionName ?? "lifeboat-web-identity"
        let client = AWSClient(region: environment.region ?? "us-east-1", credentials: AnonymousCredentialProvider(), http: http,
                               endpoints: EndpointResolver(environment: environment), retry: retry)
        self.sts = STS(client)
    }

    public func credentials() async throws -> AWSCredentials {
        guard let tokenFile else { throw CredentialError.notConfigured(name, "AWS_WEB_IDENTITY_TOKEN_FILE is not set") }
        guard let roleARN else {
            throw CredentialError(provider: name, message: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        }
        guard let token = AWSEnvironment.readFile(tokenFile)?.trimmingCharacters(), !token.isEmpty else {
            throw CredentialError(provider: name, message: "token file \(tokenFile) is missing or empty (is the service account token projected?)")
        }
        do {
            var credentials = try await sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: sessionName, token: token)
            credentials.source = name
            return credentials
        } catch let error as AWSError {
            throw CredentialError(provider: name, message: "sts:AssumeRoleWithWebIdentity for \(roleARN) failed: \(error.code): \(error.message)")
        }
    }
}

/// For the unsigned calls; never actually consulted.
struct AnonymousCredentialProvider: CredentialProvider {
    let name = "anonymous"
    func credentials() async throws -> AWSCredentials {
        throw CredentialError.notConfigured(name, "no credentials")
    }
}
