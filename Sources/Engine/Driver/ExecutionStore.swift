import LifeboatAPI

/// Where a driver keeps one execution, and the world around it: the clock, effect running and
/// waiting. `StepDriver` is the loop; a store is what differs between the operator (the API
/// server, optimistic concurrency), `drctl run` (a state directory) and the simulation (memory,
/// a virtual clock, injected crashes). A store does no DR reasoning: it keeps, runs and waits.
///
/// Crash safety rests on the order in which `StepDriver` calls these (docs/engine.md, "The
/// invariant"): plan updates, then the status, are persisted before `record` and before any
/// effect runs. A store must make each `persist` durable before it returns. Any requirement may
/// throw to stop the driver where it is: that is how a real failure (a full disk), a lost
/// conflict or a simulated crash ends a run. The next `StepDriver.run` starts from `load`.
public protocol ExecutionStore {
    /// The time a step happens at (a virtual clock in simulations).
    var currentTime: Timestamp { get }

    /// The execution as stored now (spec, request annotations, status) and the plan's state.
    /// Called before every step: a store that watches its storage may answer from memory when
    /// nothing changed since its last read or write.
    mutating func load() async throws -> StoredExecution

    /// Applies the plan-level changes of a step (claim, release, history) to the plan's state.
    /// Written before the status: a crash between the two redoes a claim or a release, which
    /// is idempotent.
    mutating func persist(planUpdates: [PlanUpdate], to planState: PlanState) async throws

    /// Writes `status` as the execution's status, only over `execution` as loaded: a store
    /// with versions (resourceVersion) refuses a write over a changed object by throwing
    /// `StoreConflict`, and the driver loads and steps again. Durable when it returns. Returns
    /// the execution as stored now (with any request annotations written meanwhile).
    mutating func persist(status: DRExecutionStatus, over execution: DRExecution) async throws -> DRExecution

    /// What a step decided, once its status is durable and before its effects run: Events
    /// for people, the effects for audit or tests.
    mutating func record(_ step: StepRecord) async throws

    /// Runs the effects (their intent is persisted) and returns one observation each, in effect
    /// order. A store runs them through `EffectExecutor`, whose concurrency is bounded.
    mutating func run(_ effects: [Effect], of execution: DRExecution) async throws -> [Observation]

    /// Waits as `action` says (a due time, or a change), or until the store sees a change of
    /// the stored execution. Returns false to stop driving (nobody will change anything: a
    /// simulation with no person left, say).
    mutating func wait(_ action: Action, execution: DRExecution, since: Timestamp) async throws -> Bool

    /// The run is over: release what was held for it (AWS sessions, say).
    mutating func finished(_ execution: DRExecution) async
}

/// What `load` returns.
public struct StoredExecution: Sendable {
    public var execution: DRExecution
    public var planState: PlanState

    public init(execution: DRExecution, planState: PlanState) {
        self.execution = execution
        self.planState = planState
    }
}

/// What `record` is told about one step.
public struct StepRecord: Sendable {
    /// The execution as persisted by this step.
    public var execution: DRExecution
    public var result: StepResult
    public var action: Action
    public var now: Timestamp
    /// Whether the step changed the status (and so persisted it).
    public var wroteStatus: Bool
}

/// A status write lost against a concurrent change of the stored object (HTTP 409): nothing of
/// the step took effect, so the driver loads the object again and steps again.
public struct StoreConflict: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
