import HTTP

/// sts:AssumeRole with a base identity. Wrap it in a CachingCredentialProvider: every call here
/// is a fresh AssumeRole.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    public let name: String
    let roleARN: String
    let sessionName: String
    let externalID: String?
    let sts: STS

    public init(base: any CredentialProvider, roleARN: String, sessionName: String, externalID: String?, region: String,
                endpoints: EndpointResolver = EndpointResolver(), http: HTTPClient = HTTPClient(),
                retry: RetryConfiguration = RetryConfiguration()) {
        self.name = "assume-role \(roleARN)"
        self.roleARN = roleARN
        self.sessionName = RoleSessionName.sanitize(sessionName)
        self.externalID = externalID
        self.sts = STS(AWSClient(region: region, credentials: base, http: http, endpoints: endpoints, retry: retry))
    }

    public init(base: AWSClient, roleARN: String, sessionName: String, externalID: String?) {
        self.name = "assume-role \(roleARN)"
        self.roleARN = roleARN
        self.sessionName = RoleSessionName.sanitize(sessionName)
        self.externalID = externalID
        self.sts = STS(base)
    }

    public func credentials() async throws -> AWSCredentials {
        do {
            var credentials = try await sts.assumeRole(roleARN: roleARN, sessionName: sessionName, externalID: externalID)
            credentials.accountID = credentials.accountID ?? ARN.account(roleARN)
            return credentials
        } catch let error as AWSError {
            var hint = ""
            if error.code == "AccessDenied" {
                hint = " (check the role's trust policy allows the base identity"
                    + (externalID == nil ? ")" : " and that the external id matches)")
            }
            throw CredentialError(provider: name, message: "sts:AssumeRole of \(roleARN) failed: \(error.code): \(error.message)\(hint)",
                                  cause: error)
        }
    }
}

/// STS RoleSessionName rules: 2–64 characters of `[\w+=,.@-]`.
public enum RoleSessionName {
    public static func sanitize(_ raw: String) -> String {
        var name = String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) ? $0 : "-" })
        if name.count > 64 { name = String(name.prefix(64)) }
        while name.count < 2 { name += "-" }
        return name
    }
}
