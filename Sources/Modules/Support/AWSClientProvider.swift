import AWS
import Engine

/// Where a module gets its AWS client: credentials for the resource's account (the plan's role,
/// assumed with its external id) and the region the module must act in. A module never builds
/// credentials itself, so every call is made as the plan says.
public protocol AWSClientProvider: Sendable {
    /// A client with the context's account credentials in `region`, without the drill guard:
    /// modules call `client(for:region:)`, which adds it.
    func unrestrictedClient(for context: ModuleContext, region: String) async -> AWSClient
}

extension AWSClientProvider {
    /// The client a module calls AWS with. In a Drill, every region but the acting one is the
    /// region that serves (API.md "Regions per phase"): its client may only read, so no module
    /// bug can scale, stop or fail over production during a drill.
    public func client(for context: ModuleContext, region: String) async -> AWSClient {
        let client = await unrestrictedClient(for: context, region: region)
        guard context.mode == .drill, region != context.actingRegion else { return client }
        return client.readOnly(ReadOnlyRestriction(
            reason: "a drill acts only in \(context.actingRegion); \(region) serves plan \(context.planName) and a drill only reads it"))
    }
}

/// The production provider: sts:AssumeRole of `arn:aws:iam::<account>:role/<plan role>` from the
/// process's own identity, one cached and refreshed session per execution, account and role
/// (the session name `lifeboat-<execution>` shows in CloudTrail which run acted).
public actor AssumedRoleClients: AWSClientProvider {
    private let base: AWSClient
    private let externalID: String?
    private var sessions: [String: CrossAccountCredentials] = [:]

    public init(base: AWSClient, externalID: String?) {
        self.base = base
        self.externalID = externalID
    }

    public func unrestrictedClient(for context: ModuleContext, region: String) async -> AWSClient {
        await client(account: context.accountId, roleName: context.roleName, executionName: context.executionName, region: region)
    }

    public func client(account: String, roleName: String, executionName: String, region: String) async -> AWSClient {
        let key = executionName + "\u{1F}" + roleName
        let session = sessions[key] ?? CrossAccountCredentials(base: base, roleName: roleName, externalID: externalID, executionName: executionName)
        sessions[key] = session
        return await session.client(account: account, region: region)
    }
}
