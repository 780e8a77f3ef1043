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
        #expect(await eventually { a.isLeader || b.isLeader })
        let (first, firstTask, second) = a.isLeader ? (a, runA, b) : (b, runB, a)
        #expect(!second.isLeader)
        #expect(try await holder() == first.identity)

        firstTask.cancel()
        #expect(await firstTask.value == .cancelled)
        #expect(!first.isLeader)
        #expect(await eventually { second.isLeader })
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
        #expect(await eventually { a.isLeader })
        let runB = Task { await b.run { await leaders.lead("b") } }
        // Every lease write now fails: "a" must give up at its renew deadline, "b" cannot win yet.
        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "update", "path": "leases", "status": 503,
                                                                      "count": NSNull()])
        #expect(await runA.value == .lost)
        #expect(!a.isLeader && !b.isLeader)
        #expect(await leaders.running == [])
        _ = try env.server.control("DELETE", "/testenv/faults")
        #expect(await eventually { b.isLeader })
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
        #expect(await eventually { a.isLeader })
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
    /// candidate must wait out the whole lease, judged by its own clock from when it first saw
    /// the record, and only then take over. The candidate's clock is a test clock: while it
    /// stands still, no number of attempts may take the lease; once it has moved a lease
    /// duration on, the next attempt does.
    @Test func aKilledHoldersLeaseIsTakenOverOnlyAfterItExpiresByTheCandidatesClock() async throws {
        let api = env.client.api(Lease.self, .leases, namespace: "default")
        let seconds = Int(Self.timing.leaseDuration.components.seconds)
        let stamp = MicroTime.now()
        _ = try await api.create(Lease(metadata: ObjectMeta(name: "lifeboat-leader", namespace: "default"),
                                       spec: LeaseSpec(holderIdentity: "killed", leaseDurationSeconds: seconds,
                                                       acquireTime: stamp, renewTime: stamp, leaseTransitions: 0)))
        // Counts b's reads of the Lease (a fault that only delays by 1 ms, to be counted).
        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "get", "path": "leases/lifeboat-leader",
                                                                      "delayMs": 1, "count": NSNull()])
        let clock = ManualClock()
        let leaders = Leaders()
        let b = LeaderElector(api: api, name: "lifeboat-leader", identity: "b", timing: Self.timing, registry: nil,
                              logger: .disabled, now: { clock.now })
        let runB = Task { await b.run { await leaders.lead("b") } }
        #expect(try await eventually { try leaseReads() >= 5 })
        #expect(!b.isLeader)
        #expect(try await holder() == "killed", "five attempts, no time passed on b's clock: still the dead holder's")

        clock.advance(Double(seconds) + 0.001)
        #expect(await eventually { b.isLeader })
        let taken = try #require(try await api.get("lifeboat-leader").spec)
        #expect(taken.holderIdentity == "b" && taken.leaseTransitions == 1)
        runB.cancel()
        #expect(await runB.value == .cancelled)
        #expect(await leaders.maxAtOnce == 1)
    }

    private func leaseReads() throws -> Int {
        let faults = try env.server.control("GET", "/testenv/faults") as? [String: Any]
        return ((faults?["faults"] as? [[String: Any]])?.first?["matched"] as? Int) ?? 0
    }

    /// A network partition of the holder only (a fault scoped to its User-Agent): it must stop
    /// acting — `isLeader` false, its work cancelled — before the other candidate acquires, and
    /// the Lease's history must show one holder's term ending before the next begins.
    @Test func aPartitionedHolderStopsBeforeTheOtherTakesOver() async throws {
        let leases = env.client.api(Lease.self, .leases, namespace: "default")
        let history = LeaseHistory()
        let watcher = Informer(api: leases) { event in
            if case .applied(let lease, _) = event, let spec = lease.spec { await history.record(spec) }
        }
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        let log = Leaders()
        let a = elector("a", userAgent: "lifeboat replica-a"), b = elector("b", userAgent: "lifeboat replica-b")
        let runA = Task { await a.run { await log.lead("a") } }
        #expect(await eventually { a.isLeader })
        let runB = Task { await b.run { await log.lead("b") } }
        #expect(await eventually { await history.renewals("a") >= 2 }, "a renews while b campaigns")

        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "*", "userAgent": "replica-a", "drop": true,
                                                                      "count": NSNull()])
        #expect(await runA.value == .lost)
        #expect(!a.isLeader)
        #expect(await eventually { b.isLeader })
        #expect(await eventually { await history.holders.last == "b" })

        // Causality, not clocks: a's work ended before b's began… (b's work may log its start a
        // moment after b reports leading, so wait for it before comparing the order.)
        #expect(await eventually { await log.events.count >= 3 })
        #expect(await log.events == ["a started", "a stopped", "b started"])
        #expect(await log.maxAtOnce == 1)
        // …and in the Lease, a's terms all come before b's, b's acquisition is stamped after a's
        // last renewal, and it counts as one transition.
        let terms = await history.terms
        #expect(terms.map(\.holder) == ["a", "b"])
        let (aTerm, bTerm) = (terms[0], terms[1])
        #expect(aTerm.lastRenew < bTerm.acquired, "a renewed at \(aTerm.lastRenew), b acquired at \(bTerm.acquired)")
        #expect(bTerm.transitions == aTerm.transitions + 1)
        _ = try env.server.control("DELETE", "/testenv/faults")
        runB.cancel()
        #expect(await runB.value == .cancelled)
    }

    func elector(_ identity: String, userAgent: String) -> LeaderElector {
        var configuration = env.client.configuration
        configuration.userAgent = userAgent
        let client = KubeClient(configuration: configuration)
        return LeaderElector(api: client.api(Lease.self, .leases, namespace: "default"), name: "lifeboat-leader",
                             identity: identity, timing: Self.timing)
    }
}

/// The Lease as the API server stored it, version after version.
actor LeaseHistory {
    struct Term: Sendable {
        var holder: String
        var acquired: String
        var lastRenew: String
        var transitions: Int
    }

    private(set) var terms: [Term] = []
    var holders: [String] { terms.map(\.holder) }

    func record(_ spec: LeaseSpec) {
        count(spec)
        guard let holder = spec.holderIdentity, !holder.isEmpty else { return }
        let renew = spec.renewTime ?? ""
        if let last = terms.last, last.holder == holder {
            terms[terms.count - 1].lastRenew = renew
        } else {
            terms.append(Term(holder: holder, acquired: spec.acquireTime ?? "", lastRenew: renew,
                              transitions: spec.leaseTransitions ?? 0))
        }
    }

    /// How many versions of `holder`'s current term were seen.
    func renewals(_ holder: String) -> Int {
        guard let last = terms.last, last.holder == holder else { return 0 }
        return renewalCount[holder, default: 0]
    }

    private var renewalCount: [String: Int] = [:]
    var releaseCount = 0
    func count(_ spec: LeaseSpec) { renewalCount[spec.holderIdentity ?? "", default: 0] += 1 }
}

/// The leaders' work: runs until cancelled, recording overlap.
actor Leaders {
    private(set) var running: Set<String> = []
    private(set) var maxAtOnce = 0
    private(set) var order: [String] = []
    /// "x started" / "x stopped", in the order they happened.
    private(set) var events: [String] = []

    func lead(_ identity: String) async {
        running.insert(identity)
        order.append(identity)
        events.append("\(identity) started")
        maxAtOnce = max(maxAtOnce, running.count)
        let stopped = SyncSignal()
        _ = await withTaskCancellationHandler { await stopped.wait() } onCancel: { Task { await stopped.set() } }
        running.remove(identity)
        events.append("\(identity) stopped")
    }
}
