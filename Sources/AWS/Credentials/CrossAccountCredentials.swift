/// Credentials for each target account of a plan: sts:AssumeRole of
/// `arn:<partition>:iam::<account>:role/<roleName>` with the plan's external id and the
/// session name `lifeboat-<execution>`, one cached and refreshed provider per
/// (account, role, external id).
public actor CrossAccountCredentials {
    struct Key: Hashable {
        var account: String
        var role: String
        var externalID: String?
    }

    public let base: AWSClient
    public let roleName: String
    let externalID: String?
    public nonisolated let sessionName: String
    private var providers: [Key: CachingCredentialProvider] = [:]

    /// - Parameters:
    ///   - base: the operator's own identity; STS calls go to its region.
    ///   - executionName: names the role session (`lifeboat-<execution>`), so CloudTrail shows which run acted.
    public init(base: AWSClient, roleName: String, externalID: String?, executionName: String) {
        self.base = base
        self.roleName = roleName
        self.externalID = externalID
        self.sessionName = RoleSessionName.sanitize("lifeboat-" + executionName)
    }

    public nonisolated func roleARN(account: String, roleName: String? = nil) -> String {
        "arn:\(ARN.partition(region: base.region)):iam::\(account):role/\(roleName ?? self.roleName)"
    }

    /// The cached provider for `account` (and optionally another role in it).
    public func provider(account: String, roleName: String? = nil) -> CachingCredentialProvider {
        let key = Key(account: account, role: roleName ?? self.roleName, externalID: externalID)
        if let existing = providers[key] { return existing }
        let provider = CachingCredentialProvider(
            AssumeRoleCredentialProvider(base: base, roleARN: roleARN(account: account, roleName: key.role), sessionName: sessionName,
                                         externalID: externalID),
            clock: base.clock)
        providers[key] = provider
        return provider
    }

    /// A client acting in `account` and `region`.
    public func client(account: String, region: String) -> AWSClient {
        base.with(credentials: provider(account: account)).with(region: region)
    }
}
