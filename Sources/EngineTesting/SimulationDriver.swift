import Engine
import LifeboatAPI

/// Drives one execution the way the operator and `drctl run` do — step, write status, run the
/// effects, step again with their observations — on a virtual clock, with a "store" that only
/// keeps what was written. A crash can be injected at any boundary: everything not yet written
/// is lost and the loop restarts from the store, exactly as a killed process would.
public struct SimulationDriver {
    /// What the store holds: the execution as last written (spec, annotations, status).
    public private(set) var stored: DRExecution
    public var plan: DRPlan
    public var planState: PlanState
    public private(set) var now: Timestamp
    public let executor: EffectExecutor
    public var settings: EngineSettings

    /// Every status written, in order, with the effects that followed it.
    public private(set) var trace: [TraceEntry] = []
    public private(set) var events: [EngineEvent] = []
    /// Boundaries passed so far (each status write and each effect is one).
    public private(set) var boundaries = 0
    public private(set) var crashes = 0
    /// The observations of the last effects, held in memory only until the next step.
    private var observations: [Observation] = []

    public struct TraceEntry: Sendable {
        public let status: DRExecutionStatus
        public let effects: [Effect]
        public let now: Timestamp
        public let annotations: [String: String]
    }

    public enum Outcome: Sendable, Equatable {
        case finished(ExecutionPhase)
        /// Waiting for a person and `intervene` did nothing.
        case waiting(String)
        case stepLimit
    }

    public init(execution: DRExecution, plan: DRPlan, planState: PlanState = PlanState(),
                executor: EffectExecutor, start: Timestamp = Timestamp(secondsSinceEpoch: 1_800_000_000),
                settings: EngineSettings = EngineSettings()) {
        self.stored = execution
        self.plan = plan
        self.planState = planState
        self.executor = executor
        self.now = start
        self.settings = settings
    }

    /// Changes the stored execution's annotations, as `kubectl annotate` would.
    public mutating func annotate(_ key: String, _ value: String?) {
        var annotations = stored.metadata.annotations ?? [:]
        annotations[key] = value
        stored.metadata.annotations = annotations
    }

    public mutating func advanceClock(by duration: GoDuration) { now = now.adding(duration) }

    /// What one `step` did.
    public enum StepOutcome: Sendable, Equatable {
        /// Status written, and effects run or the clock moved on: step again.
        case progressed
        /// The process died at a boundary during this step.
        case crashed
        case finished(ExecutionPhase)
        /// Nothing to run and nothing to wait for: only a person (an annotation) can help.
        case idle(String)
    }

    /// Runs until the execution is terminal, or waits for a person and `intervene` (called with
    /// the waiting reason) changes nothing, or `maxSteps` steps were taken. `crashAt` lists
    /// boundary numbers at which the process "dies".
    public mutating func run(maxSteps: Int = 10_000, crashAt: Set<Int> = [],
                             beforeStep: (inout SimulationDriver, Int) -> Void = { _, _ in },
                             intervene: (inout SimulationDriver, String) -> Bool = { _, _ in false }) async -> Outcome {
        for stepNumber in 0..<maxSteps {
            beforeStep(&self, stepNumber)
            switch await step(crashAt: crashAt) {
            case .progressed, .crashed:
                continue
            case .finished(let phase):
                return .finished(phase)
            case .idle(let reason):
                let before = stored.metadata.annotations
                guard intervene(&self, reason), stored.metadata.annotations != before else { return .waiting(reason) }
            }
        }
        return .stepLimit
    }

    /// One turn of the loop: step the engine with the observations of the last turn, write the
    /// status, then run the effects or advance the clock to the requeue time. Lets a test
    /// interleave several drivers (two executions of one plan sharing a `PlanState`).
    public mutating func step(crashAt: Set<Int> = []) async -> StepOutcome {
        let result = Engine.step(EngineInput(execution: stored, plan: plan, planState: planState,
                                             observations: observations, now: now, settings: settings))
        observations = []
        // The status (with its recorded intent) is written before any effect runs.
        stored.status = result.status
        planState.apply(result.planUpdates)
        events += result.events
        trace.append(TraceEntry(status: result.status, effects: result.effects, now: now,
                                annotations: stored.metadata.annotations ?? [:]))
        if passBoundary(crashAt) { return .crashed }
        if result.isTerminal { return .finished(result.status.phase ?? .pending) }

        if !result.effects.isEmpty {
            for effect in result.effects {
                observations.append(await executor.run(effect, for: stored, status: result.status))
                // Observations live only in memory: a crash loses them, the effect stays done.
                if passBoundary(crashAt) {
                    observations = []
                    return .crashed
                }
            }
            return .progressed
        }
        if let wait = result.requeueAfter {
            now = now.adding(max(wait, GoDuration(milliseconds: 1)))
            return .progressed
        }
        return .idle(result.status.conditions?.first { $0.status == .true && $0.type != ConditionType.reconciling }?.message
            ?? result.status.phase?.rawValue ?? "waiting")
    }

    /// Counts a boundary; returns true when the process dies here.
    private mutating func passBoundary(_ crashAt: Set<Int>) -> Bool {
        boundaries += 1
        guard crashAt.contains(boundaries) else { return false }
        crashes += 1
        return true
    }
}
