import LifeboatAPI

/// The engine's driver loop, the one every way of running an execution uses (`drctl run`, the
/// simulation behind the tests and the bench, the operator):
///
///     load → step → persist plan updates, then status (intent recorded) → record
///          → Action: run effects and step again with their observations
///                    | wait (requeue after / await change) | done | stalled
///
/// It does no I/O of its own: the store does (`ExecutionStore`). Observations live only in the
/// driver's memory between two steps, as the crash-safety rules say (docs/engine.md): a driver
/// that dies loses them, and the next one learns the same facts again from the idempotent
/// `start` or from `check`.
public struct StepDriver: Sendable {
    /// The live plan: used until the run is admitted, after which `status.plan.snapshot` rules.
    public var plan: DRPlan?
    public var settings: EngineSettings
    /// The observations of the last effects, for the next step only.
    public private(set) var observations: [Observation] = []

    public init(plan: DRPlan?, settings: EngineSettings) {
        self.plan = plan
        self.settings = settings
    }

    /// What one turn did.
    public struct Turn: Sendable {
        public var action: Action
        /// The execution as persisted by the turn.
        public var execution: DRExecution
        /// When the step happened: a requeue counts from here.
        public var now: Timestamp
        /// A request (annotation) arrived while the step ran: step again at once rather than wait.
        public var requestedMeanwhile: Bool
    }

    /// One turn: load, step, persist, record and, when the step asked for effects, run them
    /// (their observations wait in memory for the next turn).
    public mutating func turn<Store: ExecutionStore>(_ store: inout Store) async throws -> Turn {
        while true {
            let loaded = try await store.load()
            let now = store.currentTime
            let result = Engine.step(EngineInput(execution: loaded.execution, plan: plan, planState: loaded.planState,
                                                 observations: observations, now: now, settings: settings))
            var execution = loaded.execution
            let changed = result.status != execution.status
            do {
                // Plan state first: a crash before the status is written redoes a claim or a
                // release, both idempotent.
                if !result.planUpdates.isEmpty {
                    var planState = loaded.planState
                    planState.apply(result.planUpdates)
                    try await store.persist(planUpdates: result.planUpdates, to: planState)
                }
                // The intent is durable before any effect runs.
                if changed { execution = try await store.persist(status: result.status, over: loaded.execution) }
            } catch is StoreConflict {
                continue  // nothing of this step took effect: step again over the object as it is now
            }
            observations = []
            let action = Action(result)
            try await store.record(StepRecord(execution: execution, result: result, action: action, now: now, wroteStatus: changed))
            switch action {
            case .runEffects(let effects): observations = try await store.run(effects, of: execution)
            case .done: await store.finished(execution)
            case .requeue, .awaitChange, .stalled: break
            }
            return Turn(action: action, execution: execution, now: now,
                        requestedMeanwhile: execution.metadata.annotations != loaded.execution.metadata.annotations)
        }
    }

    /// Turns until the run is over, waiting through the store between turns. Returns the last
    /// turn: `.done`, or the wait (a stall, a gate) the store declined to make.
    public mutating func run<Store: ExecutionStore>(_ store: inout Store) async throws -> Turn {
        while true {
            let turn = try await turn(&store)
            switch turn.action {
            case .done:
                return turn
            case .runEffects:
                continue
            case .requeue, .awaitChange, .stalled:
                if turn.requestedMeanwhile { continue }
                guard try await store.wait(turn.action, execution: turn.execution, since: turn.now) else { return turn }
            }
        }
    }
}
