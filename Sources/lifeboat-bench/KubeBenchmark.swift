#if canImport(Glibc)
import Glibc
#endif
import ControllerRuntime
import Foundation
import Kube
import YAML

/// The Kubernetes client and controller runtime against testenv.kube (issue 5): informer memory
/// for 10,000 cached objects, events per second through watch → cache → work queue, and one
/// status patch round trip. The objects are the small Widget CR of the kube tests
/// (Tests/KubeTests/Fixtures/widget-crd.json), not DRPlans. Starts and stops its own server.
enum KubeBenchmark: BenchmarkSuite {
    static let name = "kube"
    static let summary = "informer RSS for 10k objects, watch→cache→queue events/s, status patch round trip"

    static let cached = 10_000
    static let updates = 2_000
    static let statusPatches = 200
    static let inFlight = 32

    static func run() async throws -> [Measurement] {
        let server = try TestServerProcess(module: "testenv.kube",
                                           arguments: ["--port", "0", "--crds", TestServerProcess.packageRoot.path + "/Tests/KubeTests/Fixtures/widget-crd.json"],
                                           name: "testenv.kube")
        defer { server.stop() }
        var configuration = ClientConfiguration(server: server.baseURL)
        configuration.qps = 1_000_000
        configuration.burst = 1_000_000
        let client = KubeClient(configuration: configuration)
        let api = client.api(BenchWidget.self, Resource(group: "example.io", version: "v1", plural: "widgets", kind: "Widget"),
                             namespace: "default")
        var rows: [Measurement] = []

        // Setup: 10,000 Widgets, created with a bounded number of requests in flight.
        let createStart = ContinuousClock.now
        try await bounded(0..<cached) { index in _ = try await api.create(BenchWidget.make(index)) }
        let createSeconds = AWSBenchmark.seconds(ContinuousClock.now - createStart)
        rows.append(Measurement(name, "setup: Widget creates (\(inFlight) in flight), server rate", Double(cached) / createSeconds, "per s"))

        // 1. Informer memory: RSS before the controller starts and once its cache holds all objects
        // and the initial queue has drained (the whole process: HTTP loop, queue, decoder buffers).
        let tracker = DeliveryTracker()
        let controller = Controller(name: "bench", api: api) { widget in
            tracker.record(widget.name, size: widget.spec.size)
            return .awaitChange
        }
        let rssBefore = currentRSSBytes()
        let running = Task { await controller.run() }
        defer { running.cancel() }
        let syncStart = ContinuousClock.now
        try await waitUntil("informer cache holds \(cached) Widgets") {
            await controller.informer.store.count == cached && tracker.distinct(size: 1) == cached
        }
        let syncSeconds = AWSBenchmark.seconds(ContinuousClock.now - syncStart)
        let growth = Double(currentRSSBytes() - rssBefore)
        rows.append(Measurement(name, "informer+queue RSS growth, 10k Widgets cached", growth / 1_048_576, "MiB"))
        rows.append(Measurement(name, "informer+queue RSS growth per Widget", growth / Double(cached), "bytes"))
        rows.append(Measurement(name, "initial LIST → cache → queue → reconcile, 10k Widgets", syncSeconds, "s"))

        // 2. Events per second: merge-patch spec.size on 2,000 Widgets as fast as the server takes
        // them; count distinct keys reconciled with the new size, from first write to last delivery.
        let eventStart = ContinuousClock.now
        try await bounded(0..<updates) { index in
            _ = try await api.patch(BenchWidget.name(index), .merge(["spec": ["size": 2]]))
        }
        let writeSeconds = AWSBenchmark.seconds(ContinuousClock.now - eventStart)
        try await waitUntil("\(updates) updates delivered") { tracker.distinct(size: 2) == updates }
        let deliverySeconds = AWSBenchmark.seconds(tracker.lastDelivery(size: 2)! - eventStart)
        rows.append(Measurement(name, "watch→cache→queue deliveries, 2000 updates", Double(updates) / deliverySeconds, "per s"))
        rows.append(Measurement(name, "server write rate meanwhile (\(inFlight) in flight)", Double(updates) / writeSeconds, "per s"))
        rows.append(Measurement(name, "last delivery after last write acknowledged", max(0, deliverySeconds - writeSeconds) * 1000, "ms"))

        // 3. Status patch round trip through `StatusPatcher` (what reconcilers call: diff, minimal
        // merge patch conditioned on the resourceVersion, the server's object back), sequential,
        // from the cached object, with the informer still watching. The wall figures include the
        // Python test server's own time; the CPU figure is the client's.
        let patcher = StatusPatcher(api: api)
        for index in 0..<10 { _ = try await patcher.update(try await api.get(BenchWidget.name(index))) { $0.status = ["state": "warm"] } }
        var latencies: [Double] = []
        let cpuStart = EngineBenchmark.cpuSeconds()
        for index in 10..<(10 + statusPatches) {
            let key = ObjectKey(namespace: "default", name: BenchWidget.name(index))
            let cached = await controller.informer.store.get(key)!  // all 10k are cached (step 1)
            let start = ContinuousClock.now
            _ = try await patcher.update(cached) { $0.status = ["state": .string("s\(index)")] }
            latencies.append(AWSBenchmark.seconds(ContinuousClock.now - start) * 1000)
        }
        let cpuPerPatch = (EngineBenchmark.cpuSeconds() - cpuStart) / Double(statusPatches)
        latencies.sort()
        rows.append(Measurement(name, "status patch (StatusPatcher) round trip p50 (incl. test server)", EngineBenchmark.percentile(latencies, 0.50), "ms"))
        rows.append(Measurement(name, "status patch (StatusPatcher) round trip p99 (incl. test server)", EngineBenchmark.percentile(latencies, 0.99), "ms"))
        rows.append(Measurement(name, "client CPU per status patch (incl. watch event)", cpuPerPatch * 1e6, "us", target: "≤ 300"))

        running.cancel()
        await running.value
        return rows
    }

    /// Runs `work` for every index with at most `inFlight` calls outstanding.
    static func bounded(_ indices: Range<Int>, _ work: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = indices.lowerBound
            while next < indices.upperBound && next - indices.lowerBound < inFlight {
                let index = next
                group.addTask { try await work(index) }
                next += 1
            }
            while try await group.next() != nil {
                if next < indices.upperBound {
                    let index = next
                    group.addTask { try await work(index) }
                    next += 1
                }
            }
        }
    }

    /// Polls `condition` until it holds or 30 s pass; the short pause only yields between checks.
    static func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        if await condition() { return }
        throw BenchmarkFailure(message: "timed out waiting until \(what)")
    }

    /// Resident set size now, from /proc/self/statm (pages).
    static func currentRSSBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Which keys the reconciler saw at which spec.size, and when the last new one arrived.
    final class DeliveryTracker: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [Int: Set<String>] = [:]
        private var last: [Int: ContinuousClock.Instant] = [:]

        func record(_ name: String, size: Int) {
            let now = ContinuousClock.now
            lock.withLock {
                if seen[size, default: []].insert(name).inserted { last[size] = now }
            }
        }

        func distinct(size: Int) -> Int { lock.withLock { seen[size]?.count ?? 0 } }
        func lastDelivery(size: Int) -> ContinuousClock.Instant? { lock.withLock { last[size] } }
    }
}

/// The Widget of the kube tests: spec {size, color, id}, status free.
struct BenchWidget: KubeObject {
    struct Spec: Codable, Sendable {
        var size: Int
        var color: String?
    }
    var apiVersion = "example.io/v1"
    var kind = "Widget"
    var metadata: ObjectMeta
    var spec: Spec
    var status: JSONValue?

    static func name(_ index: Int) -> String { "w-\(index)" }
    static func make(_ index: Int) -> BenchWidget {
        BenchWidget(metadata: ObjectMeta(name: name(index), namespace: "default", labels: ["bench": "kube"]),
                    spec: Spec(size: 1, color: index % 2 == 0 ? "red" : "blue"))
    }
}
