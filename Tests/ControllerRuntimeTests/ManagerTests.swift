import Foundation
import TestSupport
import Testing
import Kube
@testable import ControllerRuntime

/// The Manager in-process: readiness follows the caches; shutdown lets a running reconcile
/// finish before the Lease is released.
@Suite(.serialized) struct ManagerTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv() }

    func manager() -> Manager {
        // Nothing here waits for a Lease to expire, so the Lease is long: on a loaded CI machine a
        // 1.5 s renew deadline was missed once and `run` rightly answered `.leadershipLost`.
        let timing = LeaderElector.Timing(leaseDuration: .seconds(60), renewDeadline: .seconds(45),
                                          retryPeriod: .milliseconds(200))
        return Manager(client: env.client, options: .init(
            leaderElection: .init(namespace: "default", leaseName: "manager-test", identity: "m", timing: timing),
            probes: ProbeServer.Options(host: "127.0.0.1", port: 0)))
    }

    func probe(_ manager: Manager, _ path: String) -> Bool {
        guard let port = manager.probePort else { return false }
        return (try? URLRequestLite(method: "GET", url: "http://127.0.0.1:\(port)\(path)").perform()) != nil
    }

    @Test func readyOnlyOnceEveryCacheHasSynced() async throws {
        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "list", "status": 403, "count": NSNull()])
        let manager = manager()
        let informer = manager.informer(env.widgets())
        _ = manager.controller("widgets", informer: informer) { _ in .awaitChange }
        let run = Task { try await manager.run() }
        #expect(await eventually { probe(manager, "/healthz") })
        #expect(!probe(manager, "/readyz"), "the widget cache cannot list yet")
        _ = try env.server.control("DELETE", "/testenv/faults")
        #expect(await eventually { probe(manager, "/readyz") })
        run.cancel()
        #expect(try await run.value == .stopped)
    }

    @Test func shutdownFinishesTheRunningReconcileThenReleasesTheLease() async throws {
        let manager = manager()
        let leases = env.client.api(Lease.self, .leases, namespace: "default")
        let informer = manager.informer(env.widgets())
        let gate = SyncSignal()
        let log = Steps()
        _ = manager.controller("widgets", informer: informer) { widget in
            await log.add("reconcile \(widget.name) started")
            await gate.waitIgnoringCancellation()
            await log.add("reconcile \(widget.name) finished")
            return .awaitChange
        }
        let run = Task {
            let outcome = try await manager.run()
            await log.add("run returned")
            return outcome
        }
        _ = try await env.widgets().create(KubeTestEnv.widget("slow"))
        #expect(await eventually { await log.steps == ["reconcile slow started"] })
        run.cancel()  // what SIGTERM does through ShutdownSignal
        #expect(try await leases.get("manager-test").spec?.holderIdentity == "m", "held while the reconcile runs")
        await gate.set()
        #expect(try await run.value == .stopped)
        #expect(await log.steps == ["reconcile slow started", "reconcile slow finished", "run returned"])
        #expect(try await leases.get("manager-test").spec?.holderIdentity == "", "released after the reconcile finished")
        #expect(!probe(manager, "/healthz"), "the probe server has stopped")
    }
}

actor Steps {
    private(set) var steps: [String] = []
    func add(_ step: String) { steps.append(step) }
}

extension SyncSignal {
    /// A reconcile that does not look at cancellation (the worst case for a graceful stop).
    func waitIgnoringCancellation() async {
        _ = await Task { await self.wait() }.value
    }
}
