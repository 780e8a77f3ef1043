import Kube

/// The Widget of the kube tests, as far as the sample reads it.
struct Widget: KubeObject {
    struct Spec: Codable, Sendable, Hashable {
        var size: Int
    }
    var metadata: ObjectMeta
    var spec: Spec

    static let resource = Resource(group: "example.io", version: "v1", plural: "widgets", kind: "Widget")
}
