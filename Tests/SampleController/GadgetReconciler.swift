import ControllerRuntime
import Kube

/// The whole business logic of the sample: keep the finalizer, copy the Widget's size into
/// the Gadget's status, and on deletion record an event and let go.
struct GadgetReconciler: Sendable {
    static let finalizer = Finalizer("example.io/sample-cleanup")

    let gadgets: Api<Gadget>
    let widgets: Store<Widget>
    let recorder: EventRecorder?
    let identity: String

    func reconcile(_ gadget: Gadget) async throws -> Action {
        try await Self.finalizer.reconcile(gadget, api: gadgets, apply: apply, cleanup: cleanup)
    }

    private func apply(_ gadget: Gadget) async throws -> Action {
        let widget = await widgets.get(ObjectKey(namespace: gadget.metadata.namespace, name: gadget.spec.widget))
        let patched = try await StatusPatcher(api: gadgets).update(gadget) { gadget in
            gadget.status = Gadget.Status(phase: widget == nil ? "WaitingForWidget" : "Ready", widgetSize: widget?.spec.size,
                                          observedGeneration: gadget.metadata.generation, handledBy: identity,
                                          extra: gadget.status?.extra)
        }
        if patched.metadata.resourceVersion != gadget.metadata.resourceVersion {
            await recorder?.record(.normal, regarding: ObjectReference(patched, Gadget.resource), reason: "Synced",
                                   action: "Reconcile", note: "widget size \(widget.map { String($0.spec.size) } ?? "unknown")")
        }
        return .awaitChange
    }

    private func cleanup(_ gadget: Gadget) async throws -> Finalizer.Cleanup {
        await recorder?.record(.normal, regarding: ObjectReference(gadget, Gadget.resource), reason: "CleanedUp",
                               action: "Finalize", note: "nothing outside the cluster to clean up")
        return .finished
    }
}
