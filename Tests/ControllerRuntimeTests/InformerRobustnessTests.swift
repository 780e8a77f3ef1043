import Foundation
import TestSupport
import Testing
import Kube
import YAML
@testable import ControllerRuntime

/// What must not stall an informer or a controller: a cache that never syncs, an object this
/// client cannot decode.
@Suite(.serialized) struct InformerRobustnessTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv() }

    /// Shutdown must not wait for a cache that will never sync (the API server refuses every
    /// LIST), or the Lease is never released.
    @Test func aControllerWhoseCacheNeverSyncsStopsWhenCancelled() async throws {
        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "list", "status": 403, "count": NSNull()])
        let controller = Controller(name: "never-synced", api: env.widgets()) { _ in .awaitChange }
        let finished = SyncSignal()
        let task = Task {
            await controller.run()
            await finished.set()
        }
        #expect(try await eventually { try listsRefused() >= 1 })
        task.cancel()
        #expect(await eventually(within: 10) { await finished.isSet })
    }

    private func listsRefused() throws -> Int {
        let faults = try env.server.control("GET", "/testenv/faults") as? [String: Any]
        return ((faults?["faults"] as? [[String: Any]])?.first?["matched"] as? Int) ?? 0
    }

    /// One object this client cannot decode is skipped, not retried forever: the cache syncs
    /// with the others, later changes keep flowing, and the object enters the cache once a
    /// version of it decodes.
    @Test func anUndecodableObjectIsSkippedUntilItIsFixed() async throws {
        let api = env.widgets()
        for i in 0..<3 { _ = try await api.create(KubeTestEnv.widget("w\(i)", size: i)) }
        _ = try await api.patchStatus("w1", .merge(["status": ["state": "Exploded"]]))
        let strict = env.client.api(StrictWidget.self, KubeTestEnv.widgets, namespace: "default")
        let store = Store<StrictWidget>()
        let informer = Informer(api: strict, store: store)
        let task = Task { await informer.run() }
        defer { task.cancel() }
        #expect(await eventually(within: 15) { informer.hasSynced })
        #expect(await store.keys.map(\.name) == ["w0", "w2"])

        // A poisoned change on the watch does not stop the changes after it.
        _ = try await api.create(KubeTestEnv.widget("w3"))
        _ = try await api.patchStatus("w3", .merge(["status": ["state": "Melted"]]))
        _ = try await api.create(KubeTestEnv.widget("w4"))
        #expect(await eventually(within: 15) { await store.get(ObjectKey(namespace: "default", name: "w4")) != nil })

        // Fixed: the next version decodes and enters the cache.
        _ = try await api.patchStatus("w1", .merge(["status": ["state": "Ready"]]))
        #expect(await eventually(within: 15) {
            await store.get(ObjectKey(namespace: "default", name: "w1"))?.status?.state == .ready
        })
    }
}

/// A Widget as a stricter client sees it: `status.state` must be one of two values.
struct StrictWidget: KubeObject {
    struct Status: Codable, Sendable {
        enum State: String, Codable, Sendable { case ready = "Ready", pending = "Pending" }
        var state: State?
    }
    var metadata: ObjectMeta
    var spec: Widget.Spec
    var status: Status?
}
