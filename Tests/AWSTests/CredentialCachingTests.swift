import Foundation
import Synchronization
import Testing
@testable import AWS

/// Refresh before expiry and one refresh for many concurrent callers.
@Suite struct CredentialCachingTests {
    /// A source that counts calls, hands out credentials expiring `lifetime` after the fake
    /// clock's now, and can hold callers at a gate until released.
    final class CountingSource: CredentialProvider, Sendable {
        let name = "counting"
        let calls = Atomic<Int>(0)
        let now: Mutex<Double>
        let lifetime: Double
        let gate: AsyncStream<Void>
        let release: AsyncStream<Void>.Continuation
        let failNext = Atomic<Bool>(false)

        init(now: Double, lifetime: Double = 3600) {
            self.now = Mutex(now)
            self.lifetime = lifetime
            (gate, release) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
        }

        func credentials() async throws -> AWSCredentials {
            let number = calls.add(1, ordering: .relaxed).newValue
            for await _ in gate { break }
            if failNext.exchange(false, ordering: .relaxed) { throw CredentialError(provider: name, message: "endpoint down") }
            return AWSCredentials(accessKeyID: "AKIA\(number)", secretAccessKey: "s", sessionToken: "t",
                                  expiration: now.withLock { $0 } + lifetime, source: name)
        }
    }

    @Test func refreshesBeforeExpiry() async throws {
        let source = CountingSource(now: 1000)
        source.release.yield(); source.release.yield(); source.release.yield()
        let cache = CachingCredentialProvider(source, refreshMargin: 300, clock: { source.now.withLock { $0 } })
        #expect(try await cache.credentials().accessKeyID == "AKIA1")
        source.now.withLock { $0 += 3000 }  // 600 s left: still good
        #expect(try await cache.credentials().accessKeyID == "AKIA1")
        source.now.withLock { $0 += 301 }   // 299 s left: inside the margin, refreshed before it expires
        #expect(try await cache.credentials().accessKeyID == "AKIA2")
        #expect(await cache.fetchCount == 2)
    }

    @Test func oneRefreshManyWaiters() async throws {
        let source = CountingSource(now: 1000)
        let cache = CachingCredentialProvider(source, clock: { source.now.withLock { $0 } })
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await cache.credentials().accessKeyID } }
            // Every caller is now waiting on the single refresh; let it finish.
            source.release.yield()
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(keys) == ["AKIA1"] && keys.count == 50)
        #expect(source.calls.load(ordering: .relaxed) == 1)
        #expect(await cache.fetchCount == 1)
    }

    @Test func failedRefreshKeepsStillValidCredentials() async throws {
        let source = CountingSource(now: 1000)
        source.release.yield(); source.release.yield(); source.release.yield()
        let cache = CachingCredentialProvider(source, refreshMargin: 300, clock: { source.now.withLock { $0 } })
        _ = try await cache.credentials()
        source.now.withLock { $0 += 3400 }  // 200 s left
        source.failNext.store(true, ordering: .relaxed)
        #expect(try await cache.credentials().accessKeyID == "AKIA1")
        source.now.withLock { $0 += 300 }   // expired
        #expect(try await cache.credentials().accessKeyID == "AKIA3")
    }

    @Test func crossAccountAssumeRoleIsCachedPerAccount() async throws {
        let moto = try Moto.shared()
        let accounts = CrossAccountCredentials(base: Moto.client(moto), roleName: "lifeboat-execution", externalID: "ext-1",
                                               executionName: "payments activate/2026 #1")
        #expect(accounts.sessionName == "lifeboat-payments-activate-2026--1")
        let providerA = await accounts.provider(account: "222222222222")
        let again = await accounts.provider(account: "222222222222")
        #expect(providerA === again)
        let identity = try await STS(await accounts.client(account: "222222222222", region: "us-west-2")).getCallerIdentity()
        #expect(identity.account == "222222222222")
        #expect(identity.arn.contains("assumed-role/lifeboat-execution/lifeboat-payments-activate-2026--1"))
        _ = try await providerA.credentials()
        #expect(await providerA.fetchCount == 1, "the client's call and this one share one AssumeRole")
        let other = try await STS(await accounts.client(account: "111111111111", region: "us-east-1")).getCallerIdentity()
        #expect(other.account == "111111111111")
    }

    @Test func sessionNamesFollowSTSRules() {
        #expect(RoleSessionName.sanitize("lifeboat-" + String(repeating: "x", count: 100)).count == 64)
        #expect(RoleSessionName.sanitize("a") == "a-")
        #expect(RoleSessionName.sanitize("lifeboat-ok_+=,.@-") == "lifeboat-ok_+=,.@-")
        #expect(RoleSessionName.sanitize("lifeboat-ü/x") == "lifeboat---x")
    }
}
