import Foundation
import Kube

extension Gadget {
    static var crd: String { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
        + "/Fixtures/gadget-crd.json" }

    static func named(_ name: String, widget: String) -> Gadget {
        Gadget(metadata: ObjectMeta(name: name, namespace: "default"), spec: Spec(widget: widget))
    }
}

extension KubeTestEnv {
    /// The test API server serving Widgets and Gadgets.
    static func withGadgets() throws -> KubeTestEnv { try KubeTestEnv(arguments: ["--crds", Gadget.crd]) }

    func gadgets() -> Api<Gadget> { client.api(Gadget.self, Gadget.resource, namespace: "default") }
}
