import TestSupport
import Foundation
import Testing
import Kube
@testable import ControllerRuntime

/// Two candidates racing for one Lease on the test API server, with short timings. "Never two
/// leaders" is checked by the work itself: each leader's work registers while it runs (until
/// cancelled), and the register records the most that ever ran at once.
@Suite(.serialized) struct LeaderElectorTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv() }

    static let timing = LeaderElector.Timing(leaseDuration: .seconds(2), renewDeadline: .milliseconds(1500),
                                             retryPeriod: .milliseconds(200))

    func elector(_ identity: String) -> LeaderElector {
        LeaderElector(api: env.client.api(Lease.self, .leases, namespace: "default"), name: "lifeboat-leader",
                      identity: identity, timing: Self.timing)
    }

    func holder() async throws -> String? {
        try await env.client.api(Lease.self, .leases, namespace: "default").getIfExists("lifeboat-leader")?.spec?.holderIdentity
    }

    @Test func oneLeadsAndTheOtherTakesOverAfterRelease() async throws {
        let leaders = Leaders()
        let a = elector("a"), b = elector("b")
        let runA = Task { await a.run { await leaders.lead("a") } }
        let runB = Task { await b.run { await leaders.lead("b") } }
        #expect(try await eventually { a.isLeader || b.isLeader })
        let (first, firstTask, second) = a.isLeader ? (a, runA, b) : (b, runB, a)
        #expect(!second.isLeader)
        #expect(try await holder() == first.identity)

        firstTask.cancel()
        #expect(await firstTask.value == .cancelled)
        #expect(!first.isLeader)
        #expect(try await eventually { second.isLeader })
        #expect(try await holder() == second.identity)
        (a.isLeader ? runA : runB).cancel()
        _ = await (runA.value, runB.value)
        #expect(await leaders.maxAtOnce == 1)
        #expect(await leaders.order == [first.identity, second.identity])
        #expect(try await holder() == "", "released on shutdown")
    }

    @Test func aLeaderThatCannotRenewStopsBeforeTheOtherTakesOver() async throws {
        let leaders = Leaders()
        let a = elector("a"), b = elector("b")
        let runA = Task { await a.run { await leaders.lead("a") } }
        #expect(try await eventually { a.isLeader })
        let runB = Task { await b.run { await leaders.lead("b") } }
        // Every lease write now fails: "a" must give up at its renew deadline, "b" cannot win yet.
        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "update", "path": "leases", "status": 503,
                                                                      "count": NSNull()])
        #expect(await runA.value == .lost)
        #expect(!a.isLeader && !b.isLeader)
        #expect(await leaders.running == [])
        _ = try env.server.control("DELETE", "/testenv/faults")
        #expect(try await eventually { b.isLeader })
        #expect(try await holder() == "b")
        runB.cancel()
        #expect(await runB.value == .cancelled)
        #expect(await leaders.maxAtOnce == 1)
    }

    @Test func anotherHolderInTheLeaseEndsLeadershipAtOnce() async throws {
        let leaders = Leaders()
        let a = elector("a")
        let api = env.client.api(Lease.self, .leases, namespace: "default")
        let runA = Task { await a.run { await leaders.lead("a") } }
        #expect(try await eventually { a.isLeader })
        var lease = try await api.get("lifeboat-leader")
        lease.spec?.holderIdentity = "intruder"
        _ = try await api.update(lease)
        #expect(await runA.value == .lost)
        #expect(!a.isLeader)
        #expect(await leaders.running == [])
        #expect(try await holder() == "intruder", "a lost leader does not release someone else's lease")
    }
}

extension LeaderElectorTests {
    /// A holder whose process is killed never releases: its Lease keeps naming it. The other
    /// candidate must wait out the whole lease, judged from when it first saw the record, and
    /// only then take over — never while the dead holder's lease could still be valid.
    @Test func aKilledHoldersLeaseIsTakenOverOnlyAfterItExpires() async throws {
        let api = env.client.api(Lease.self, .leases, namespace: "default")
        let killedAt = Date().timeIntervalSince1970
        let seconds = Int(Self.timing.leaseDuration.components.seconds)
        _ = try await api.create(Lease(metadata: ObjectMeta(name: "lifeboat-leader", namespace: "default"),
                                       spec: LeaseSpec(holderIdentity: "killed", leaseDurationSeconds: seconds,
                                                       acquireTime: MicroTime.format(unixSeconds: killedAt),
                                                       renewTime: MicroTime.format(unixSeconds: killedAt),
                                                       leaseTransitions: 0)))
        let leaders = Leaders()
        let b = elector("b")
        let runB = Task { await b.run { await leaders.lead("b") } }
        #expect(try await eventually { b.isLeader })
        let taken = try #require(try await api.get("lifeboat-leader").spec)
        #expect(taken.holderIdentity == "b")
        #expect(taken.leaseTransitions == 1)
        // The takeover is stamped by b's own write: it must come after the dead lease ran out.
        let acquired = try #require(taken.acquireTime.flatMap { MicroTime.parse($0) })
        #expect(acquired >= killedAt + Double(seconds), "took over \(acquired - killedAt) s after the holder died")
        runB.cancel()
        #expect(await runB.value == .cancelled)
        #expect(await leaders.maxAtOnce == 1)
    }
}

/// The leaders' work: runs until cancelled, recording overlap.
actor Leaders {
    private(set) var running: Set<String> = []
    private(set) var maxAtOnce = 0
    private(set) var order: [String] = []

    func lead(_ identity: String) async {
        running.insert(identity)
        order.append(identity)
        maxAtOnce = max(maxAtOnce, running.count)
        let stopped = SyncSignal()
        _ = await withTaskCancellationHandler { await stopped.wait() } onCancel: { Task { await stopped.set() } }
        running.remove(identity)
    }
}
