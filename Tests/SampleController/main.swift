import ControllerRuntime
import Foundation
import Kube
import Logging

// A sample controller on the Manager, for the runtime's tests (it knows nothing about DR):
//   sample-controller --server URL --identity ID [--namespace default] [--lease sample-controller]
// Two replicas elect a leader on a Lease; the leader keeps each Gadget's status in step with
// its Widget. SIGTERM: stop, release the Lease, exit 0. Leadership lost: exit 1.

var arguments: [String: String] = [:]
var iterator = CommandLine.arguments.dropFirst().makeIterator()
while let flag = iterator.next() {
    guard flag.hasPrefix("--"), let value = iterator.next() else {
        FileHandle.standardError.write(Data("usage: sample-controller --server URL --identity ID\n".utf8))
        exit(2)
    }
    arguments[String(flag.dropFirst(2))] = value
}
guard let server = arguments["server"], let identity = arguments["identity"] else {
    FileHandle.standardError.write(Data("usage: sample-controller --server URL --identity ID\n".utf8))
    exit(2)
}
let namespace = arguments["namespace"] ?? "default"

let shutdown = ShutdownSignal()
let logger = Logger(sink: FileDescriptorSink(descriptor: 2), minimumLevel: .info, fields: [("replica", .string(identity))])
var configuration = ClientConfiguration(server: server)
configuration.userAgent = "sample-controller \(identity)"
configuration.qps = 0
let client = KubeClient(configuration: configuration, logger: logger)

// Short timings, so the tests' failovers take seconds, with client-go's proportions.
let timing = LeaderElector.Timing(leaseDuration: .seconds(2), renewDeadline: .milliseconds(1500), retryPeriod: .milliseconds(200))
var options = Manager.Options(
    leaderElection: .init(namespace: namespace, leaseName: arguments["lease"] ?? "sample-controller", identity: identity,
                          timing: timing),
    probes: ProbeServer.Options(host: "127.0.0.1", port: 0), reportingController: "example.io/sample-controller")
options.gracefulShutdownTimeout = .seconds(3)
let manager = Manager(client: client, options: options, logger: logger)

let gadgets = client.api(Gadget.self, Gadget.resource, namespace: namespace)
let widgetInformer = manager.informer(client.api(Widget.self, Widget.resource, namespace: namespace))
let gadgetInformer = manager.informer(gadgets, store: Store(indexers: ["widget": { [$0.spec.widget] }]))
let reconciler = GadgetReconciler(gadgets: gadgets, widgets: widgetInformer.store, recorder: manager.recorder,
                                  identity: identity)
// Our own status patches change neither generation nor annotations: they do not come back.
let controller = manager.controller("gadgets", informer: gadgetInformer,
                                    predicate: Predicate.generationChanged.or(.annotationsChanged).or(.deletionChanged),
                                    reconcile: reconciler.reconcile)
controller.watch(widgetInformer, predicate: .generationChanged, throughIndex: "widget") { [$0.name] }

do {
    let outcome = try await manager.run(until: shutdown)
    logger.info("exiting", ["outcome": .string("\(outcome)")])
    exit(outcome == .stopped ? 0 : 1)
} catch {
    logger.error("could not start", ["error": .string("\(error)")])
    exit(1)
}
