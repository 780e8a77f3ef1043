#if canImport(Glibc)
import Glibc
#endif
import Engine
import EngineTesting
import LifeboatAPI
import LocalStore

/// `drctl run --simulate --simulate-duration 10ms` of a large plan, in process: the state
/// directory (fsynced status writes, events.log), the simulated cloud's journal and the same
/// driver loop and settings as drctl. Its time must grow linearly with the plan.
enum BreakGlassBenchmark: BenchmarkSuite {
    static let name = "breakglass"
    static let summary = "drctl run --simulate (10 ms operations) of 1,000 and 5,000 resources, wall time"

    static func run() async throws -> [Measurement] {
        var rows: [Measurement] = []
        for resources in [1_000, 5_000] {
            let seconds = try await runOnce(resources: resources)
            rows.append(Measurement(name, "simulated run, \(resources) resources (10 layers)", seconds, "s",
                                    target: resources == 5_000 ? "< 60" : nil))
            rows.append(Measurement(name, "simulated run, \(resources) resources: per resource", seconds / Double(resources) * 1000,
                                    "ms", target: "flat (linear)"))
        }
        return rows
    }

    static func runOnce(resources: Int) async throws -> Double {
        let template = "/tmp/lifeboat-bench-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else { throw LocalStoreError(.io, "cannot create a temporary directory") }
        let store = StateDirectory(String(decoding: bytes.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        defer { _ = system("rm -rf '\(store.path)'") }

        let plan = EngineBenchmark.syntheticPlan(layers: 10, resourcesPerLayer: resources / 10)
        var execution = DRExecution(metadata: ObjectMeta(name: "rehearsal", namespace: "bench"),
                                    spec: DRExecutionSpec(planRef: PlanReference(name: plan.metadata.name!), phase: .instantiate, mode: .recovery))
        execution.metadata.uid = "rehearsal-uid"
        try store.createExecution(execution)
        let ledger = store.file("simulation.json")
        let cloud = try SimulatedCloud(scripts: [:], defaultScript: ResourceScript(pollHint: .seconds(1), duration: GoDuration(milliseconds: 10)),
                                       journal: SimulatedCloud.Journal(read: { try AtomicFile.readText(ledger) },
                                                                       write: { try AtomicFile.write($0, to: ledger) },
                                                                       append: { try AtomicFile.append($0, to: ledger, sync: false) }),
                                       clock: WallClock.now)
        // drctl's settings for a rehearsal.
        let settings = EngineSettings(minimumPollInterval: GoDuration(milliseconds: 10), retryBase: GoDuration(milliseconds: 200),
                                      retryCap: .seconds(5))
        let runner = LocalRunner(store: store, plan: plan,
                                 executor: EffectExecutor(registry: SimulatedModule.registry(cloud: cloud), resolver: OpaqueReferences(),
                                                          clock: WallClock.now),
                                 settings: settings)
        let started = RealClock.now()
        let outcome = try await runner.run(observer: SilentObserver())
        guard outcome.execution.status?.phase == .succeeded else {
            throw LocalStoreError(.refused, "the simulated run ended \(outcome.execution.status?.phase?.rawValue ?? "-")")
        }
        return Double(RealClock.now().milliseconds(since: started)) / 1000
    }
}

/// Nobody watches a bench run.
final class SilentObserver: RunObserver {
    var asksPeople: Bool { false }
    func stepped(_ execution: DRExecution, events: [EngineEvent], now: Timestamp) {}
    func waiting(_ execution: DRExecution, now: Timestamp) {}
    func answer(gate: String, of execution: DRExecution, within: Duration) -> GateAnswer? { nil }
    func interrupted(_ execution: DRExecution, signal: Int32) {}
}
