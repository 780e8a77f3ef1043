import Foundation
import Kube
import YAML

/// The test API server (testenv/kube) with the neutral Widget CRD from the kube-wire
/// transcripts, and a client for it. The server exits when its stdin closes (its default). Shared by KubeTests and ControllerRuntimeTests (linked).
struct KubeTestEnv {
    let server: TestServer
    let client: KubeClient

    static let widgets = Resource(group: "example.io", version: "v1", plural: "widgets", kind: "Widget")
    static var fixtures: String { TestServer.packageRoot.path + "/Tests/KubeTests/Fixtures" }

    init(arguments: [String] = [], qps: Double = 1000, burst: Int = 1000) throws {
        server = try TestServer("testenv.kube", ["--port", "0",
                                                 "--crds", Self.fixtures + "/widget-crd.json"] + arguments)
        var configuration = ClientConfiguration(server: server.baseURL)
        configuration.qps = qps
        configuration.burst = burst
        client = KubeClient(configuration: configuration)
    }

    func widgets(_ namespace: String? = "default") -> Api<Widget> { client.api(Widget.self, Self.widgets, namespace: namespace) }

    static func widget(_ name: String, size: Int = 1, color: String? = nil, labels: [String: String]? = nil) -> Widget {
        Widget(metadata: ObjectMeta(name: name, namespace: "default", labels: labels), spec: .init(size: size, color: color))
    }
}

/// The Widget kind of the transcripts: spec {size ≥ 0 (required), color red|blue, id}, status free.
struct Widget: KubeObject, Hashable {
    struct Spec: Codable, Sendable, Hashable {
        var size: Int
        var color: String?
        var id: String?
    }
    var apiVersion = "example.io/v1"
    var kind = "Widget"
    var metadata: ObjectMeta
    var spec: Spec
    var status: JSONValue?
}

