import TestSupport
import Testing
import Kube
@testable import ControllerRuntime

/// The informer and a controller against the test API server, across forced drops and 410s.
@Suite(.serialized) struct InformerTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv() }

    @Test func cacheStaysInSyncAcrossDropsAndExpiry() async throws {
        let api = env.widgets()
        for i in 0..<7 { _ = try await api.create(KubeTestEnv.widget("w\(i)", size: i)) }
        let store = Store<Widget>(indexers: ["size": { ["\($0.spec.size % 2)"] }])
        let log = EventLog()
        let informer = Informer(api: api, store: store, pageSize: 3) { event in await log.record(event) }
        let task = Task { await informer.run() }
        defer { task.cancel() }
        await informer.waitForSync()
        #expect(await store.count == 7)
        #expect(await store.byIndex("size", "1").map(\.name) == ["w1", "w3", "w5"])

        _ = try await api.patch("w0", .merge(["spec": ["size": 11]]))
        _ = try env.server.control("POST", "/testenv/watches?mode=drop")
        try await api.delete("w2")
        _ = try await api.create(KubeTestEnv.widget("w7", size: 7))
        #expect(await eventually { await store.get(ObjectKey(namespace: "default", name: "w7")) != nil })

        _ = try env.server.control("POST", "/testenv/watches?mode=expire")
        _ = try env.server.control("POST", "/testenv/compact")
        _ = try await api.patch("w3", .merge(["spec": ["size": 4]]))
        try await api.delete("w4")
        #expect(await eventually {
            let sizes = await store.list().map { "\($0.name)=\($0.spec.size)" }
            return sizes == ["w0=11", "w1=1", "w3=4", "w5=5", "w6=6", "w7=7"]
        })
        #expect(await store.byIndex("size", "1").map(\.name) == ["w0", "w1", "w5", "w7"])
        // Each change once: no duplicate delivery of a resourceVersion.
        #expect(await log.duplicates == [])
    }

    @Test func controllerReconcilesAndRequeues() async throws {
        let api = env.widgets()
        _ = try await api.create(KubeTestEnv.widget("r1"))
        let counts = Counts()
        let registry = MetricsRegistry()
        let controller = Controller(name: "widgets", api: api, concurrency: 2, registry: registry) { widget in
            let n = await counts.bump(widget.name)
            if n == 1 { throw Failure() }
            if n == 2 { return .requeue(after: .milliseconds(10)) }
            return .awaitChange
        }
        let task = Task { await controller.run() }
        #expect(await eventually { await counts.value("r1") >= 3 })
        task.cancel()
        await task.value
        let text = registry.render()
        #expect(text.contains("controller_runtime_reconcile_total{controller=\"widgets\",result=\"error\"} 1"))
        #expect(text.contains("controller_runtime_reconcile_total{controller=\"widgets\",result=\"requeue_after\"} 1"))
        #expect(text.contains("controller_runtime_reconcile_total{controller=\"widgets\",result=\"success\"} 1"))
    }
}

struct Failure: Error {}

actor Counts {
    private var counts: [String: Int] = [:]
    func bump(_ key: String) -> Int { counts[key, default: 0] += 1; return counts[key]! }
    func value(_ key: String) -> Int { counts[key, default: 0] }
}

actor EventLog {
    private var seen: Set<String> = []
    private(set) var duplicates: [String] = []
    func record(_ event: InformerEvent<Widget>) {
        let id: String
        switch event {
        case .applied(let o, _): id = "applied \(o.name)@\(o.resourceVersion ?? "")"
        case .deleted(let o): id = "deleted \(o.name)@\(o.resourceVersion ?? "")"
        }
        if !seen.insert(id).inserted { duplicates.append(id) }
    }
}
