import Engine
import LifeboatAPI

/// Drives one execution through `StepDriver`, the loop the operator and `drctl run` use, with
/// an in-memory store that only keeps what was written and a virtual clock. A crash can be
/// injected at any boundary (each status write, each effect): the store throws, everything not
/// yet written is lost and the loop restarts from the store, exactly as a killed process would.
public struct SimulationDriver {
    /// What the store holds: the execution as last written (spec, annotations, status).
    public private(set) var stored: DRExecution
    public var plan: DRPlan {
        didSet { loop.plan = plan }
    }
    public var planState: PlanState
    public private(set) var now: Timestamp
    public let executor: EffectExecutor
    public var settings: EngineSettings {
        didSet { loop.settings = settings }
    }

    /// Every status written, in order, with the effects that followed it.
    public private(set) var trace: [TraceEntry] = []
    public private(set) var events: [EngineEvent] = []
    /// Boundaries passed so far (each status write and each effect is one).
    public private(set) var boundaries = 0
    /// The boundaries at which the process really died.
    public private(set) var crashedAt: [Int] = []
    public var crashes: Int { crashedAt.count }
    /// The loop of the process now alive; a crash replaces it with a fresh one.
    private var loop: StepDriver
    /// Per `run`/`step` call: where to die, who intervenes when the run waits for a person.
    private var crashAt: Set<Int> = []
    private var intervene: (inout SimulationDriver, String) -> Bool = { _, _ in false }
    private var beforeStep: (inout SimulationDriver, Int) -> Void = { _, _ in }
    private var stepsTaken = 0
    private var maxSteps = Int.max
    private var waitingReason: String?

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

    /// The process "dies": thrown by the store at a chosen boundary.
    struct Crash: Error {}
    /// The step budget of a `run` is spent.
    struct StepLimit: Error {}

    public init(execution: DRExecution, plan: DRPlan, planState: PlanState = PlanState(),
                executor: EffectExecutor, start: Timestamp = Timestamp(secondsSinceEpoch: 1_800_000_000),
                settings: EngineSettings = EngineSettings()) {
        self.stored = execution
        self.plan = plan
        self.planState = planState
        self.executor = executor
        self.now = start
        self.settings = settings
        self.loop = StepDriver(plan: plan, settings: settings)
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
    /// boundary numbers at which the process "dies"; after a crash the loop restarts from the
    /// store, as a restarted process would.
    public mutating func run(maxSteps: Int = 10_000, crashAt: Set<Int> = [],
                             beforeStep: @escaping (inout SimulationDriver, Int) -> Void = { _, _ in },
                             intervene: @escaping (inout SimulationDriver, String) -> Bool = { _, _ in false }) async -> Outcome {
        self.crashAt = crashAt
        self.beforeStep = beforeStep
        self.intervene = intervene
        self.maxSteps = maxSteps
        stepsTaken = 0
        defer {
            self.beforeStep = { _, _ in }
            self.intervene = { _, _ in false }
        }
        while true {
            var loop = self.loop
            do {
                let turn = try await loop.run(&self)
                self.loop = loop
                if case .done(let phase) = turn.action { return .finished(phase) }
                return .waiting(waitingReason ?? "waiting")
            } catch is Crash {
                self.loop = StepDriver(plan: plan, settings: settings)  // a new process: observations are lost
            } catch {
                return .stepLimit
            }
        }
    }

    /// One turn of the loop: step with the observations of the last turn, write the status,
    /// then run the effects or advance the clock to the requeue time. Lets a test interleave
    /// several drivers (two executions of one plan sharing a `PlanState`).
    public mutating func step(crashAt: Set<Int> = []) async -> StepOutcome {
        self.crashAt = crashAt
        stepsTaken = 0
        maxSteps = Int.max
        var loop = self.loop
        do {
            let turn = try await loop.turn(&self)
            self.loop = loop
            switch turn.action {
            case .done(let phase): return .finished(phase)
            case .runEffects: return .progressed
            case .requeue(let after):
                now = now.adding(after)
                return .progressed
            case .awaitChange(let reason): return .idle(reason)
            case .stalled(_, let message): return .idle(message)
            }
        } catch {
            self.loop = StepDriver(plan: plan, settings: settings)
            return .crashed
        }
    }

    /// Counts a boundary; throws when the process dies here.
    private mutating func passBoundary() throws {
        boundaries += 1
        guard crashAt.contains(boundaries) else { return }
        crashedAt.append(boundaries)
        throw Crash()
    }
}

/// The simulation's store: memory for storage, a virtual clock, effects one at a time (a
/// crash can fall between any two), and a test's person standing in for waiting.
extension SimulationDriver: ExecutionStore {
    public var currentTime: Timestamp { now }

    public mutating func load() async throws -> StoredExecution {
        if stepsTaken >= maxSteps { throw StepLimit() }
        beforeStep(&self, stepsTaken)
        stepsTaken += 1
        return StoredExecution(execution: stored, planState: planState)
    }

    public mutating func persist(planUpdates: [PlanUpdate], to planState: PlanState) async throws {
        self.planState = planState
    }

    public mutating func persist(status: DRExecutionStatus, over execution: DRExecution) async throws -> DRExecution {
        stored.status = status
        return stored
    }

    public mutating func record(_ step: StepRecord) async throws {
        events += step.result.events
        let effects = if case .runEffects(let effects) = step.action { effects } else { [Effect]() }
        trace.append(TraceEntry(status: step.result.status, effects: effects, now: step.now,
                                annotations: stored.metadata.annotations ?? [:]))
        // The status (with its recorded intent) is written: the first boundary of the step.
        try passBoundary()
    }

    public mutating func run(_ effects: [Effect], of execution: DRExecution) async throws -> [Observation] {
        var observations: [Observation] = []
        for effect in effects {
            observations.append(await executor.run(effect, for: execution, status: execution.status ?? DRExecutionStatus()))
            // Observations live only in memory: a crash loses them, the effect stays done.
            try passBoundary()
        }
        return observations
    }

    public mutating func wait(_ action: Action, execution: DRExecution, since: Timestamp) async throws -> Bool {
        switch action {
        case .requeue(let after):
            now = since.adding(after)
            return true
        case .awaitChange(let reason), .stalled(_, let reason):
            waitingReason = reason
            let before = stored.metadata.annotations
            return intervene(&self, reason) && stored.metadata.annotations != before
        case .runEffects, .done:
            return true
        }
    }

    public mutating func finished(_ execution: DRExecution) async {
        await executor.release(execution)
    }
}
