import AWS
import Engine
import Modules
import Testing

/// Issue 12, item 5: a long-running process does not keep every execution's AWS session for
/// ever. Sessions are made lazily (no STS call until a request is signed), so no server is needed.
@Suite struct AssumedRoleClientsTests {
    static func clients(capacity: Int) -> AssumedRoleClients {
        let base = AWSClient(region: "us-east-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret")))
        return AssumedRoleClients(base: base, externalID: nil, capacity: capacity)
    }

    @Test func aFinishedRunsSessionsAreReleased() async {
        let clients = Self.clients(capacity: 10)
        _ = await clients.client(account: "111111111111", roleName: "dr", executionName: "run-1", region: "us-west-2")
        _ = await clients.client(account: "111111111111", roleName: "other", executionName: "run-1", region: "us-west-2")
        _ = await clients.client(account: "111111111111", roleName: "dr", executionName: "run-2", region: "us-west-2")
        #expect(await clients.sessionCount == 3)
        await clients.release(executionName: "run-1")
        #expect(await clients.sessionCount == 1)
    }

    @Test func idleSessionsAreEvictedBeyondTheCapacityLeastRecentlyUsedFirst() async {
        let clients = Self.clients(capacity: 2)
        for run in ["run-1", "run-2", "run-3"] {
            _ = await clients.client(account: "111111111111", roleName: "dr", executionName: run, region: "us-west-2")
        }
        #expect(await clients.sessionCount == 2)
        // run-1 went first: releasing it changes nothing; run-2 and run-3 are still held.
        await clients.release(executionName: "run-1")
        #expect(await clients.sessionCount == 2)
        await clients.release(executionName: "run-3")
        #expect(await clients.sessionCount == 1)
    }
}
