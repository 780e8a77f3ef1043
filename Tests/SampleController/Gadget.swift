import Kube

/// The sample's own kind (Tests/ControllerRuntimeTests/Fixtures/gadget-crd.json): a Gadget
/// names a Widget in its namespace and reports that Widget's size in its status. The tests
/// compile this same file (Tests/ControllerRuntimeTests/Support/Gadget.swift links to it).
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
}
