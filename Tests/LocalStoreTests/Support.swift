import Engine
import EngineTesting
import Foundation
import LifeboatAPI
import LocalStore
import YAML

/// Plans, executions and state directories for LocalStore tests.
enum Local {
    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("localstore-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func plan(_ layers: [(String, [String])], approvals: ApprovalPolicy = ApprovalPolicy(phases: [], drills: .automatic),
                     pauseBefore: Set<String> = []) -> DRPlan {
        DRPlan(metadata: ObjectMeta(name: "payments", namespace: "dr"),
               spec: DRPlanSpec(regions: RegionPair(primary: "us-east-1", secondary: "us-west-2"),
                                accounts: AccountSettings(default: "111111111111"), approvals: approvals,
                                layers: layers.map { name, resources in
                                    Layer(name: name, pauseBefore: pauseBefore.contains(name), resources: resources.map {
                                        Resource(name: $0, module: .ec2, parameters: ["HostNames": [.string($0)]])
                                    })
                                }))
    }

    static func execution(_ name: String = "run-1", phase: Phase = .instantiate, mode: ExecutionMode = .drill,
                          annotations: [String: String] = [:]) -> DRExecution {
        var metadata = ObjectMeta(name: name, namespace: "dr", annotations: annotations)
        metadata.uid = "uid-\(name)"
        metadata.generation = 1
        return DRExecution(metadata: metadata, spec: DRExecutionSpec(planRef: PlanReference(name: "payments"), phase: phase, mode: mode))
    }

    /// Engine settings that poll as soon as the simulated operations are due.
    static let settings = EngineSettings(minimumPollInterval: GoDuration(milliseconds: 1), retryBase: GoDuration(milliseconds: 5),
                                         retryCap: GoDuration(milliseconds: 50))

    static func runner(_ store: StateDirectory, plan: DRPlan, cloud: SimulatedCloud) -> LocalRunner {
        var runner = LocalRunner(store: store, plan: plan, executor: EffectExecutor(registry: SimulatedModule.registry(cloud: cloud)),
                                 settings: settings)
        runner.watchInterval = .milliseconds(5)
        return runner
    }

    /// A cloud whose ledger lives in the state directory, as `drctl run --simulate` keeps it.
    static func journaledCloud(_ store: StateDirectory, scripts: [String: ResourceScript] = [:]) throws -> SimulatedCloud {
        let path = store.file("simulation.json")
        return try SimulatedCloud(scripts: scripts, defaultScript: ResourceScript(polls: 2, pollHint: GoDuration(milliseconds: 2)),
                                  journal: SimulatedCloud.Journal(read: { try AtomicFile.readText(path) },
                                                                  write: { try AtomicFile.write($0, to: path) },
                                                                  append: { try AtomicFile.append($0, to: path, sync: false) }),
                                  clock: WallClock.now)
    }

}

/// Remembers what the runner showed.
final class RecordingObserver: RunObserver {
    var events: [EngineEvent] = []
    var interruptions = 0
    let answers: [String: GateAnswer]

    init(answers: [String: GateAnswer] = [:]) { self.answers = answers }

    var asksPeople: Bool { !answers.isEmpty }
    func stepped(_ execution: DRExecution, events: [EngineEvent], now: Timestamp) { self.events += events }
    func waiting(_ execution: DRExecution, now: Timestamp) {}
    func answer(gate: String, of execution: DRExecution, within: Duration) -> GateAnswer? { answers[gate] }
    func interrupted(_ execution: DRExecution, signal: Int32) { interruptions += 1 }
}

extension DRExecutionStatus {
    func resource(_ name: String) -> ResourceStatus? { layers?.flatMap(\.resources).first { $0.name == name } }
}
