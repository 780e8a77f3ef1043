import Kube
import LifeboatAPI
@testable import ControllerRuntime
import TestSupport
import Testing
import YAML

/// Issue 12, "one object model": DRPlans and DRExecutions go through the same client, informer,
/// store and controller as any other kind, decoded by the one decoder — and one written under
/// another version of the CRD (an enum value this build does not know) neither stalls the cache
/// nor stops the others from reconciling.
@Suite(.serialized) struct DRObjectInformerTests {
    static let crds = Resource(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                               kind: "CustomResourceDefinition", namespaced: false)
    static let executions = Resource(group: "lifeboat.dev", version: "v1alpha1", plural: "drexecutions", kind: "DRExecution")

    @Test func anExecutionWithAStatusFromANewerVersionIsCachedWithItsProblemAndBothReconcile() async throws {
        let env = try KubeTestEnv(arguments: ["--crds", TestServer.packageRoot.path + "/crds"])
        let crds = env.client.api(DynamicObject.self, Self.crds, namespace: nil)
        let raw = env.client.api(DynamicObject.self, Self.executions, namespace: "default")
        // (An execution whose mode this build does not know cannot be decoded; see below.)
        func execution(_ name: String) -> DynamicObject {
            DynamicObject(["apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRExecution", "metadata": ["name": .string(name), "namespace": "default"],
                           "spec": ["planRef": ["name": "payments"], "phase": "Activate", "mode": "Drill"]])
        }
        // A newer operator's CRD knows the status phase "Hibernating" and wrote it; then this
        // build's CRD comes back (a rollback), and the stored status stays as it was.
        let shipped = try await crds.get("drexecutions.lifeboat.dev")
        var newer = shipped
        var versions = try #require(newer["spec"]?["versions"]?.arrayValue)
        var schema = try #require(versions[0]["schema"])
        var phases = try #require(schema["openAPIV3Schema"]?["properties"]?["status"]?["properties"]?["phase"]?["enum"]?.arrayValue)
        phases.append("Hibernating")
        schema["openAPIV3Schema"]?["properties"]?["status"]?["properties"]?["phase"]?["enum"] = .array(phases)
        versions[0]["schema"] = schema
        newer["spec"]?["versions"] = .array(versions)
        schema["openAPIV3Schema"]?["properties"]?["spec"]?["properties"]?["mode"]?["enum"] = ["Drill", "Recovery", "Chaos"]
        versions[0]["schema"] = schema
        newer["spec"]?["versions"] = .array(versions)
        _ = try await crds.update(newer)
        var chaos = execution("chaos")
        chaos["spec"]?["mode"] = "Chaos"
        _ = try await raw.create(chaos)
        var future = try await raw.create(execution("from-the-future"))
        future["status"] = ["phase": "Hibernating"]
        _ = try await raw.updateStatus(future)
        var restored = try await crds.get("drexecutions.lifeboat.dev")
        restored["spec"] = shipped["spec"]
        _ = try await crds.update(restored)
        _ = try await raw.create(execution("today"))

        let api = env.client.api(DRExecution.self, Self.executions, namespace: "default")
        let store = Store<DRExecution>()
        let registry = MetricsRegistry()
        let informer = Informer(api: api, store: store, registry: registry) { _ in }
        let task = Task { await informer.run() }
        defer { task.cancel() }
        await informer.waitForSync()
        #expect(await store.list().map(\.name) == ["from-the-future", "today"])
        let cached = try #require(await store.get(ObjectKey(namespace: "default", name: "from-the-future")))
        #expect(cached.decodingProblems.map(\.description) == [
            "status.phase: unsupported value \"Hibernating\": must be one of Pending, AwaitingApproval, Running, Pausing, Paused, Cancelling, Succeeded, Failed, Cancelled"])
        #expect(cached.spec.mode == .drill && cached.status?.phase == nil)
        #expect(await store.get(ObjectKey(namespace: "default", name: "today"))?.decodingProblems == [])
        // A required field this build cannot read at all (the mode "Chaos"): the object is skipped
        // and counted (the poison-object policy), and the informer synced all the same.
        #expect(await store.get(ObjectKey(namespace: "default", name: "chaos")) == nil)
        #expect(registry.render().contains("informer_undecodable_objects_total{resource=\"drexecutions.lifeboat.dev\"} 1"))

        let reconciled = Names()
        let controller = Controller(name: "executions", api: api, concurrency: 1, registry: MetricsRegistry()) { execution in
            await reconciled.add(execution.name)
            return .awaitChange
        }
        let running = Task { await controller.run() }
        defer { running.cancel() }
        #expect(try await eventually { await reconciled.all == ["from-the-future", "today"] })
    }
}

private actor Names {
    var all: Set<String> = []
    func add(_ name: String) { all.insert(name) }
}
