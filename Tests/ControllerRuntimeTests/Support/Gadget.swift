import Foundation
import Kube

/// The sample controller's kind (Fixtures/gadget-crd.json): spec {widget (required), note},
/// status {phase, widgetSize, observedGeneration, handledBy, extra}.
struct Gadget: KubeObject, Hashable {
    struct Spec: Codable, Sendable, Hashable {
        var widget: String
        var note: String?
    }
    struct Status: Codable, Sendable, Hashable {
        var phase: String?
        var widgetSize: Int?
        var observedGeneration: Int64?
        var handledBy: String?
        var extra: String?
    }
    var apiVersion = "example.io/v1"
    var kind = "Gadget"
    var metadata: ObjectMeta
    var spec: Spec
    var status: Status?

    static let resource = Resource(group: "example.io", version: "v1", plural: "gadgets", kind: "Gadget")
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
