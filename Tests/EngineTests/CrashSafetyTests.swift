import TestSupport
import Engine
import EngineTesting
import LifeboatAPI
import Testing

/// Issue 3, point 3: intent (`Starting`, attempt n) is written before any `start` runs, and a
/// resource found in `Starting` after a restart is driven again through the idempotent `start`.
/// Proof by exhaustion: the process dies at every single boundary (each status write, each
/// effect) of a representative run, and every run still ends the same, with every module's
/// operation started exactly once.
@Suite struct CrashSafetyTests {
    /// Three layers; gate `start` (drills of Instantiate need approval) and gate `layer-app`
    /// (pauseBefore); a failure allowed to continue; transient errors on start and on poll;
    /// several polls; a Validate resource (preflight only) and a resource that does not run
    /// in Instantiate (skipped); maxConcurrency below the layer's size.
    static let plan = Fixtures.plan([
        Layer(name: "data", maxConcurrency: 2, resources: [
            Fixtures.resource("db-a"), Fixtures.resource("db-b"), Fixtures.resource("cache", .autoScaling, onError: .continue),
        ]),
        Layer(name: "app", pauseBefore: true, resources: [
            Fixtures.resource("api"), Fixtures.resource("warmup", .lambdaFunction), Fixtures.resource("dns", .r53Record),
        ]),
        Layer(name: "edge", resources: [Fixtures.resource("worker", .autoScaling), Fixtures.resource("hook", .lambdaFunction, drill: .execute)]),
    ], approvals: ApprovalPolicy(phases: [.instantiate], drills: .required))

    static let scripts: [String: ResourceScript] = [
        "db-a": ResourceScript(polls: 2, transientStartErrors: 1),
        "db-b": ResourceScript(polls: 1, transientCheckErrors: 1),
        "cache": ResourceScript(polls: 1, ending: .fail(reason: "insufficient capacity", code: "InsufficientInstanceCapacity")),
        "api": ResourceScript(polls: 3, pollHint: .seconds(20)),
        "worker": ResourceScript(polls: 1, transientCheckErrors: 2),
        "hook": ResourceScript(polls: 0),
    ]

    /// Every resource that executes starts exactly one operation; `warmup` (Validate) and
    /// `dns` (not in Instantiate) start none.
    static let expectedEffects = ["db-a": 1, "db-b": 1, "cache": 1, "api": 1, "worker": 1, "hook": 1]

    struct Run {
        var outcome: SimulationDriver.Outcome
        var driver: SimulationDriver
        var cloud: SimulatedCloud
        var final: FinalStatus { FinalStatus(driver.stored.status ?? DRExecutionStatus()) }
        var problems: [String] { Invariants.check(driver.trace, spec: driver.stored.spec) }
        var adopted: Bool { driver.events.contains { $0.reason == .resourceStarted && $0.message.contains("adopted") } }
    }

    /// A fresh cloud and process; the person approves each gate when the run waits for it.
    static func run(crashAt: Set<Int> = []) async -> Run {
        let cloud = SimulatedCloud(scripts: scripts)
        var driver = Fixtures.driver(Fixtures.execution(), plan, cloud: cloud)
        let outcome = await driver.run(maxSteps: 500, crashAt: crashAt, intervene: { driver, _ in driver.approveWaitingGates() })
        return Run(outcome: outcome, driver: driver, cloud: cloud)
    }

    @Test func theReferenceRunExercisesEveryRule() async {
        let reference = await Self.run()
        #expect(reference.outcome == .finished(.succeeded))
        #expect(reference.problems == [])
        #expect(reference.driver.crashes == 0)
        #expect(reference.cloud.effectsApplied == Self.expectedEffects)
        #expect(reference.cloud.preflights == ["warmup": 1])
        let status = reference.driver.stored.status!
        #expect(status.condition(ConditionType.succeeded)?.reason == "SucceededWithFailures")
        #expect(status.resource("cache")?.state == .failed && status.resource("dns")?.state == .skipped)
        // Both gates really waited for the person (no pre-approval), and errors were retried.
        let waited = reference.driver.events.filter { $0.reason == .gateWaiting }.compactMap(\.subject)
        #expect(waited == ["start", "layer-app"])
        #expect(reference.driver.events.filter { $0.reason == .resourceRetrying }.count == 4)
    }

    @Test func aCrashAtEveryBoundaryChangesNothing() async {
        let reference = await Self.run()
        let boundaries = reference.driver.boundaries
        #expect(boundaries > 50)
        var adoptions = 0
        for k in 1...boundaries {
            let crashed = await Self.run(crashAt: [k])
            #expect(crashed.driver.crashedAt == [k], "crash at boundary \(k) of \(boundaries) did not happen")
            #expect(crashed.outcome == reference.outcome, "crash at boundary \(k)")
            #expect(crashed.final == reference.final, "crash at boundary \(k)")
            #expect(crashed.cloud.effectsApplied == Self.expectedEffects, "crash at boundary \(k)")
            #expect(crashed.problems == [], "crash at boundary \(k)")
            if crashed.adopted { adoptions += 1 }
        }
        // The proof is not vacuous: some crashes hit between a start and its recorded answer.
        #expect(adoptions >= 6)
    }

    /// Two crashes in one run: a seeded sample of 200 pairs (all of them would be N²), in four
    /// shards that run in parallel.
    @Test(arguments: 0..<4)
    func twoCrashesChangeNothingEither(shard: Int) async {
        let reference = await Self.run()
        let boundaries = reference.driver.boundaries
        var random = SeededGenerator(seed: 0x11FE_B0A7 + UInt64(shard))
        for _ in 0..<50 {
            let first = random.int(1...boundaries)
            // The second crash falls within the run that the first one leaves (restarts add
            // boundaries): the run is deterministic, so both crashes really happen.
            let once = await Self.run(crashAt: [first])
            let second = first + random.int(1...min(40, once.driver.boundaries - first))
            let crashes: Set<Int> = [first, second]
            let crashed = await Self.run(crashAt: crashes)
            let label = "crashes at \(crashes.sorted())"
            #expect(crashed.driver.crashedAt == [first, second], "\(label)")
            #expect(crashed.outcome == reference.outcome, "\(label)")
            #expect(crashed.final == reference.final, "\(label)")
            #expect(crashed.cloud.effectsApplied == Self.expectedEffects, "\(label)")
            #expect(crashed.problems == [], "\(label)")
        }
    }

    /// The answer to an attempt that is no longer on record (an effect from before a restart)
    /// never changes the status.
    @Test func staleObservationsAreIgnored() {
        let plan = Fixtures.plan([Layer(name: "data", resources: [Fixtures.resource("db")])])
        var execution = Fixtures.execution()
        func step(_ observations: [Observation]) -> StepResult {
            let result = Engine.step(EngineInput(execution: execution, plan: plan, observations: observations,
                                                 now: Timestamp(secondsSinceEpoch: 1_800_000_000)))
            execution.status = result.status
            return result
        }
        #expect(step([]).effects == [.start(resource: "db", attempt: 1)])
        // Restart: the first start's answer was lost; the intent is driven again.
        #expect(step([]).effects == [.start(resource: "db", attempt: 2)])
        let late = Observation(resource: "db", attempt: 1, outcome: .started(StartResult(checkpoint: ["operation": "op-1"])))
        let ignored = step([late])
        #expect(ignored.status.resource("db")?.state == .starting)
        #expect(ignored.status.resource("db")?.checkpoint == nil)
        let current = Observation(resource: "db", attempt: 3, outcome: .started(StartResult(checkpoint: ["operation": "op-1"])))
        #expect(step([current]).status.resource("db")?.state == .inProgress)
    }
}

/// A final status with what legitimately differs between runs taken out: timestamps, attempt
/// counts, poll progress and operation ids in messages.
struct FinalStatus: Equatable, CustomStringConvertible {
    var phase: ExecutionPhase?
    var layers: [String]
    var resources: [String]
    var gates: [String]
    var conditions: [String]
    var progress: Progress?

    init(_ status: DRExecutionStatus) {
        phase = status.phase
        layers = (status.layers ?? []).map { "\($0.name) \($0.state)" }
        resources = (status.layers ?? []).flatMap(\.resources).map {
            "\($0.name) \($0.state) \($0.action.map { "\($0)" } ?? "-") \($0.errorCode ?? "-") \(Self.withoutOperationIDs($0.message ?? ""))"
        }
        gates = (status.gates ?? []).map { "\($0.id) \($0.state)" }
        conditions = (status.conditions ?? []).map { "\($0.type)=\($0.status) \($0.reason)" }
        progress = status.progress
    }

    /// "op-12 completed" -> "op-# completed": which operation id a resource got depends on the
    /// order in which starts reached the cloud.
    static func withoutOperationIDs(_ message: String) -> String {
        var result = "", rest = Substring(message)
        while let range = rest.firstRange(of: "op-") {
            result += rest[..<range.upperBound] + "#"
            rest = rest[range.upperBound...].drop { $0.isNumber }
        }
        return result + rest
    }

    var description: String { ([phase.map { "\($0)" } ?? "-"] + layers + resources + gates + conditions).joined(separator: "\n") }
}
