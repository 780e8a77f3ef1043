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
///
/// A long-running operator sees thousands of executions, so sessions do not live for ever: the
/// driver releases an execution's sessions when its run ends (`ExecutionScoped`), and at most
/// `capacity` sessions are kept, the least recently used going first. An evicted session of a
/// run still going is simply assumed again on its next call.
public actor AssumedRoleClients: AWSClientProvider, ExecutionScoped {
    private let base: AWSClient
    private let externalID: String?
    /// Most sessions kept at once (each holds credentials and a client per account and region).
    public let capacity: Int
    private var sessions: [String: Entry] = [:]
    /// Bumped on every use: orders sessions from least to most recently used.
    private var clock: UInt64 = 0

    private struct Entry {
        let executionName: String
        let session: CrossAccountCredentials
        var lastUsed: UInt64
    }

    public init(base: AWSClient, externalID: String?, capacity: Int = 256) {
        self.base = base
        self.externalID = externalID
        self.capacity = max(1, capacity)
    }

    public func unrestrictedClient(for context: ModuleContext, region: String) async -> AWSClient {
        await client(account: context.accountId, roleName: context.roleName, executionName: context.executionName, region: region)
    }

    public func client(account: String, roleName: String, executionName: String, region: String) async -> AWSClient {
        let key = executionName + "\u{1F}" + roleName
        clock += 1
        let session = sessions[key]?.session
            ?? CrossAccountCredentials(base: base, roleName: roleName, externalID: externalID, executionName: executionName)
        sessions[key] = Entry(executionName: executionName, session: session, lastUsed: clock)
        evictIdle()
        return await session.client(account: account, region: region)
    }

    /// Forgets every session of the execution: its run is over.
    public func release(executionName: String) async {
        sessions = sessions.filter { $0.value.executionName != executionName }
    }

    /// Sessions held now (for tests and metrics).
    public var sessionCount: Int { sessions.count }

    /// Keeps at most `capacity` sessions, dropping the least recently used.
    private func evictIdle() {
        guard sessions.count > capacity else { return }
        let excess = sessions.count - capacity
        for key in sessions.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }).prefix(excess).map(\.key) {
            sessions[key] = nil
        }
    }
}
