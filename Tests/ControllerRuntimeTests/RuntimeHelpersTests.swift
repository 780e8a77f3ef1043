import TestSupport
import Testing
import Kube
import YAML
@testable import ControllerRuntime

/// The pieces every reconciler leans on, against the test API server: the status patcher, the
/// finalizer, predicates and secondary watches through an index.
@Suite(.serialized) struct RuntimeHelpersTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv.withGadgets() }

    @Test func aMergePatchCarriesOnlyWhatChanged() {
        let old: JSONValue = ["phase": "A", "size": 1, "gone": "x", "nested": ["keep": 1, "move": 2], "list": [1, 2]]
        let new: JSONValue = ["phase": "A", "size": 2, "nested": ["keep": 1, "move": 3], "list": [1, 2, 3], "added": true]
        #expect(JSONMergePatch.diff(from: old, to: new) == ["size": 2, "gone": .null, "nested": ["move": 3],
                                                           "list": [1, 2, 3], "added": true])
        #expect(JSONMergePatch.diff(from: old, to: old) == nil)
    }

    @Test func theStatusPatcherSendsTheDifferenceAndReturnsTheServersObject() async throws {
        let api = env.gadgets()
        var gadget = try await api.create(Gadget.named("g", widget: "w"))
        // Another writer's status field, set before our read: the patch must leave it alone.
        gadget = try await api.patchStatus("g", .merge(["status": ["extra": "theirs"]]))
        let patcher = StatusPatcher(api: api)
        let patched = try await patcher.update(gadget) { $0.status?.phase = "Ready" }
        #expect(patched.status == Gadget.Status(phase: "Ready", extra: "theirs"))
        #expect(patched.metadata.resourceVersion != gadget.metadata.resourceVersion, "the server's object, not ours")
        #expect(patched.metadata.generation == gadget.metadata.generation, "status writes leave the spec alone")
        #expect(try await api.get("g").status == patched.status)

        // No difference, no request.
        let same = try await patcher.update(patched) { $0.status?.phase = "Ready" }
        #expect(same.metadata.resourceVersion == patched.metadata.resourceVersion)

        // Starting from a stale version is a typed conflict, and nothing is written.
        _ = try await api.patch("g", .merge(["metadata": ["annotations": ["touched": "yes"]]]))
        await #expect(throws: ConflictError.self) {
            _ = try await patcher.update(patched) { $0.status?.phase = "Stale" }
        }
        let stored = try await api.get("g")
        #expect(stored.status?.phase == "Ready" && stored.metadata.annotations?["touched"] == "yes")

        // Removing a field sends null for it.
        let cleared = try await patcher.update(stored) { $0.status?.extra = nil }
        #expect(cleared.status == Gadget.Status(phase: "Ready"))
    }

    @Test func theFinalizerHoldsADeletionUntilCleanupIsFinal() async throws {
        let api = env.gadgets()
        let finalizer = Finalizer("example.io/test-cleanup")
        let created = try await api.create(Gadget.named("f", widget: "w"))
        let applied = Counts()
        let action = try await finalizer.reconcile(created, api: api, apply: { gadget in
            #expect(finalizer.isPresent(on: gadget), "added before the first side effect")
            _ = await applied.bump("f")
            return .awaitChange
        }, cleanup: { _ in .finished })
        let appliedCount = await applied.value("f")
        #expect(action == .awaitChange && appliedCount == 1)
        #expect(try await api.get("f").metadata.finalizers == ["example.io/test-cleanup"])

        guard case .pending(let deleting) = try await api.delete("f") else {
            Issue.record("the finalizer should hold the deletion")
            return
        }
        #expect(Finalizer.isBeingDeleted(deleting))
        // Not final yet: the finalizer stays.
        let waiting = try await finalizer.reconcile(deleting, api: api, apply: { _ in .awaitChange },
                                                    cleanup: { _ in .requeue(after: .seconds(5)) })
        #expect(waiting == .requeue(after: .seconds(5)))
        #expect(try await api.getIfExists("f") != nil)
        let done = try await finalizer.reconcile(try await api.get("f"), api: api, apply: { _ in .awaitChange },
                                                 cleanup: { _ in .finished })
        #expect(done == .awaitChange)
        #expect(try await api.getIfExists("f") == nil)
        // A stale version cannot remove a finalizer someone else's write just changed.
        let kept = try await api.create(Gadget.named("k", widget: "w"))
        let withFinalizer = try await finalizer.add(to: kept, api: api)
        await #expect(throws: ConflictError.self) { _ = try await finalizer.add(to: Gadget.named("k", widget: "w").withVersion(kept), api: api) }
        #expect(finalizer.isPresent(on: withFinalizer))
    }

    /// A Widget change reaches the Gadgets that name it (and only those) through an index on the
    /// Gadget store; the controller's own status patches do not come back as work; annotation
    /// edits do.
    @Test func secondaryWatchesAndPredicates() async throws {
        let gadgets = env.gadgets()
        _ = try await env.widgets().create(KubeTestEnv.widget("w", size: 1))
        for (name, widget) in [("g1", "w"), ("g2", "w"), ("g3", "x")] { _ = try await gadgets.create(Gadget.named(name, widget: widget)) }
        let registry = MetricsRegistry()
        let widgetInformer = Informer(api: env.widgets(), registry: registry)
        let gadgetInformer = Informer(api: gadgets, store: Store(indexers: ["widget": { [$0.spec.widget] }]), registry: registry)
        let counts = Counts()
        let patcher = StatusPatcher(api: gadgets)
        let controller = Controller(name: "gadgets", informer: gadgetInformer,
                                    predicate: Predicate.generationChanged.or(.annotationsChanged), registry: registry) { gadget in
            let count = await counts.bump(gadget.name)
            _ = try await patcher.update(gadget) { $0.status = .init(phase: "Seen", observedGeneration: Int64(count)) }
            return .awaitChange
        }
        controller.watch(widgetInformer, predicate: Predicate.generationChanged, throughIndex: "widget") { [$0.name] }
        let task = Task { await controller.run() }
        defer { task.cancel() }
        #expect(try await eventually {
            for name in ["g1", "g2", "g3"] where try await gadgets.get(name).status?.phase != "Seen" { return false }
            return true
        })

        // Sentinel: an annotation on g3 is queued after g1's and g2's status events; with one
        // worker and a FIFO queue, anything those events queued would run before it.
        _ = try await gadgets.patch("g3", .merge(["metadata": ["annotations": ["poke": "1"]]]))
        #expect(await eventually { await counts.value("g3") == 2 })
        let (g1, g2) = (await counts.value("g1"), await counts.value("g2"))
        #expect(g1 == 1 && g2 == 1, "own status patches are not work")

        _ = try await env.widgets().patch("w", .merge(["spec": ["size": 2]]))
        #expect(await eventually {
            let (g1, g2) = (await counts.value("g1"), await counts.value("g2"))
            return g1 == 2 && g2 == 2
        })
        _ = try await gadgets.patch("g3", .merge(["metadata": ["annotations": ["poke": "2"]]]))
        #expect(await eventually { await counts.value("g3") == 3 })
        #expect(await counts.value("g1") == 2, "g3 does not name w")
    }
}

extension Gadget {
    /// This object as of `other`'s resourceVersion (a stale copy).
    func withVersion(_ other: Gadget) -> Gadget {
        var copy = self
        copy.metadata = other.metadata
        copy.metadata.finalizers = nil
        return copy
    }
}
