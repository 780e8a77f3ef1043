#if canImport(Glibc)
import Glibc
#endif
import Engine
import EngineTesting
import LifeboatAPI
import YAML

/// The engine's orchestration cost: how much wall time a layer takes beyond its slowest
/// module operation, CPU per resource transition, peak memory, and the size of a large status.
enum EngineBenchmark: BenchmarkSuite {
    static let name = "engine"
    static let summary = "orchestration overhead per layer, CPU per transition, RSS, status size"

    /// Every simulated operation takes this long; the module hints the exact remaining time,
    /// so anything beyond it is the engine's and the driver's own cost.
    static let operation = GoDuration(milliseconds: 50)

    static func run() async throws -> [Measurement] {
        var rows: [Measurement] = []
        for (label, layers, perLayer, runs) in [("10 layers x 50", 10, 50, 5), ("1 layer x 2000", 1, 2000, 3)] {
            var overheads: [Double] = []
            var cpu: Double = 0
            var transitions = 0
            for _ in 0..<runs {
                let result = await runOnce(layers: layers, resourcesPerLayer: perLayer)
                overheads += result.layerOverheadsMs
                cpu += result.cpuSeconds
                transitions += result.transitions
            }
            overheads.sort()
            rows.append(Measurement(name, "\(label): overhead per layer p50", percentile(overheads, 0.50), "ms", target: "<= 20"))
            rows.append(Measurement(name, "\(label): overhead per layer p99", percentile(overheads, 0.99), "ms", target: "<= 20"))
            rows.append(Measurement(name, "\(label): CPU per resource transition", cpu / Double(transitions) * 1e6, "us", target: "<= 50"))
        }
        rows.append(Measurement(name, "peak RSS (whole bench so far)", Double(peakRSSKiB()) / 1024, "MiB"))
        let (withSnapshot, withoutSnapshot) = try statusSize(resources: 500)
        rows.append(Measurement(name, "status size, 500 resources (without plan snapshot)", Double(withoutSnapshot) / 1024, "KiB", target: "<= 256"))
        rows.append(Measurement(name, "status size, 500 resources (with plan snapshot)", Double(withSnapshot) / 1024, "KiB"))
        return rows
    }

    struct RunResult {
        var layerOverheadsMs: [Double]
        var cpuSeconds: Double
        var transitions: Int
    }

    static func runOnce(layers: Int, resourcesPerLayer: Int) async -> RunResult {
        let plan = syntheticPlan(layers: layers, resourcesPerLayer: resourcesPerLayer)
        let executor = EffectExecutor(registry: ModuleRegistry(ModuleName.allCases.map { TimedModule(name: $0, duration: operation) }))
        var execution = DRExecution(metadata: ObjectMeta(name: "bench", namespace: "bench"),
                                    spec: DRExecutionSpec(planRef: PlanReference(name: plan.metadata.name!), phase: .instantiate, mode: .recovery))
        execution.metadata.uid = "bench-uid"
        let settings = EngineSettings(minimumPollInterval: GoDuration(milliseconds: 1), retryBase: GoDuration(milliseconds: 10))
        var store = MemoryStore(execution: execution, executor: executor)
        var driver = StepDriver(plan: plan, settings: settings)
        let cpuStart = cpuSeconds()
        _ = try? await driver.run(&store)
        execution = store.execution
        let cpu = cpuSeconds() - cpuStart
        let overheads = (execution.status?.layers ?? []).compactMap { layer -> Double? in
            guard let start = layer.startTime, let end = layer.completionTime else { return nil }
            return Double(end.milliseconds(since: start) - operation.milliseconds)
        }
        // Pending → Starting → InProgress → Succeeded: three transitions a resource.
        return RunResult(layerOverheadsMs: overheads, cpuSeconds: cpu, transitions: layers * resourcesPerLayer * 3)
    }

    static func syntheticPlan(layers: Int, resourcesPerLayer: Int) -> DRPlan {
        let spec = DRPlanSpec(
            regions: RegionPair(primary: "us-east-1", secondary: "us-west-2"),
            accounts: AccountSettings(default: "111111111111"),
            approvals: ApprovalPolicy(phases: [], drills: .automatic),
            layers: (0..<layers).map { l in
                Layer(name: "layer-\(l)", resources: (0..<resourcesPerLayer).map { r in
                    Resource(name: "asg-\(l)-\(r)", module: .autoScaling,
                             parameters: ["AutoScalingGroupNames": [.string("group-\(l)-\(r)")], "DesiredCount": 4])
                })
            })
        return DRPlan(metadata: ObjectMeta(name: "bench-\(layers)x\(resourcesPerLayer)", namespace: "bench"), spec: spec)
    }

    /// The status of a finished 500-resource run, as JSON bytes (what the API server stores).
    static func statusSize(resources: Int) throws -> (withSnapshot: Int, withoutSnapshot: Int) {
        let plan = syntheticPlan(layers: 10, resourcesPerLayer: resources / 10)
        var status = DRExecutionStatus()
        let start = Timestamp(secondsSinceEpoch: 1_800_000_000)
        status.phase = .succeeded
        status.startTime = start
        status.completionTime = start.adding(seconds: 3600)
        status.plan = PlanSnapshot(name: "bench", uid: "00000000-0000-0000-0000-000000000000", generation: 3,
                                   snapshotHash: "sha256:" + String(repeating: "a", count: 64), snapshot: plan.spec)
        status.layers = plan.spec.layers.map { layer in
            LayerStatus(name: layer.name, state: .succeeded, startTime: start, completionTime: start.adding(seconds: 60),
                        resources: layer.resources.map { resource in
                            var entry = ResourceStatus(name: resource.name, module: resource.module, state: .succeeded)
                            entry.action = .execute
                            entry.attempts = 1
                            entry.message = "group \(resource.name): 4/4 instances InService"
                            entry.startTime = start
                            entry.completionTime = start.adding(seconds: 45)
                            entry.checkpoint = ["groups": [.string(resource.name)], "desired": 4]
                            return entry
                        })
        }
        let full = JSONWriter.write(try JSONValueEncoder().encode(status), pretty: false).utf8.count
        status.plan?.snapshot = nil
        let compact = JSONWriter.write(try JSONValueEncoder().encode(status), pretty: false).utf8.count
        return (full, compact)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func peakRSSKiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }
}

/// A bench-only module: every operation takes exactly `duration` of real time, and `check`
/// hints the exact time left, so the loop never polls early or late on the module's account.
struct TimedModule: DRModule {
    let descriptor: ModuleDescriptor
    let duration: GoDuration

    init(name: ModuleName = .autoScaling, duration: GoDuration) {
        self.descriptor = ModuleCatalog.descriptor(for: name)
        self.duration = duration
    }

    func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport { PreflightReport(findings: []) }

    func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        StartResult(checkpoint: ["until": .int(Int(RealClock.now().adding(duration).millisecondsSinceEpoch))])
    }

    func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let until = Int64(checkpoint["until"]?.intValue ?? 0)
        let left = until - RealClock.now().millisecondsSinceEpoch
        return left <= 0 ? .succeeded(message: "done") : .inProgress(message: "running", nextPoll: GoDuration(milliseconds: left))
    }
}

enum RealClock {
    static func now() -> Timestamp { Timestamp.now() }

    static func sleep(_ duration: GoDuration) {
        var request = timespec(tv_sec: Int(duration.milliseconds / 1000), tv_nsec: Int(duration.milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}
