import LifeboatAPI

/// The execution state machine: every DR rule of API.md, as one pure function.
///
///     step(execution, plan, observations, now) -> (status, effects, events, requeueAfter)
///
/// The operator and `drctl run` both drive it the same way: write the returned status, run the
/// effects, and call `step` again with their observations (or after `requeueAfter`). The engine
/// never calls AWS or Kubernetes, never reads a clock and never draws a random number, so the
/// same input always gives the same output — which is what makes it testable exhaustively.
public enum Engine {
    public static func step(_ input: EngineInput) -> StepResult {
        var run = Run(input)
        run.advance()
        return run.result()
    }
}

/// The working state of one step: the status being rewritten plus what the step has decided.
struct Run {
    let input: EngineInput
    var status: DRExecutionStatus
    var effects: [Effect] = []
    var events: [EngineEvent] = []
    var planUpdates: [PlanUpdate] = []
    /// Why the run cannot progress without a person (condition Stalled).
    var stall: (reason: String, message: String)?
    /// The gate the run waits at, if any.
    var waitingGate: String?
    /// A requeue the rules ask for even without in-flight work (a busy plan).
    var recheckAfter: GoDuration?
    /// Why pending work will not start (cancel request, rejected gate, run deadline).
    var stopReason: StopReason?
    /// The Succeeded condition's reason and message when the run finished in this step.
    var finalOutcome: (reason: String, message: String)?
    /// Lookups by resource name, built at most once per step and only when the step needs one
    /// (observations to fold in, a resource in flight to time out): a step must stay linear in
    /// the size of the plan, and most steps of a large layer need neither.
    let index = Index()

    enum StopReason: Equatable {
        case cancelled, rejected(gate: String), runTimedOut

        var notStartedMessage: String {
            switch self {
            case .cancelled: "not started: the execution was cancelled"
            case .rejected(let gate): "not started: gate \(gate) was rejected"
            case .runTimedOut: "not started: the execution's deadline passed"
            }
        }
    }

    init(_ input: EngineInput) {
        self.input = input
        self.status = input.execution.status ?? DRExecutionStatus()
        reindex()
    }

    /// Forgets the name lookups (after admission lays out the layers).
    mutating func reindex() {
        index.positions = nil
        index.planned = nil
    }

    /// Where each resource is, in `status.layers` and in the snapshot, by name. A class so
    /// that non-mutating lookups can fill it on first use; it lives for one step only.
    final class Index {
        var positions: [String: (layer: Int, resource: Int)]?
        var planned: [String: (layer: Int, resource: Int)]?
    }

    func position(of name: String) -> (layer: Int, resource: Int)? {
        if index.positions == nil { index.positions = ResourcePositions.byName(status.layers ?? []) }
        return index.positions?[name]
    }

    func plannedPosition(of name: String) -> (layer: Int, resource: Int)? {
        if index.planned == nil { index.planned = ResourcePositions.byName(snapshot?.layers ?? []) }
        return index.planned?[name]
    }

    var now: Timestamp { input.now }
    var spec: DRExecutionSpec { input.execution.spec }
    var name: String { input.execution.metadata.name ?? "" }
    var settings: EngineSettings { input.settings }
    var snapshot: DRPlanSpec? { status.plan?.snapshot }
    var phase: ExecutionPhase { status.phase ?? .pending }

    mutating func emit(_ kind: EngineEvent.Kind, _ reason: EngineEvent.Reason, _ message: String, subject: String? = nil) {
        events.append(EngineEvent(kind, reason, message, subject: subject))
    }

    /// The order of work within a step. Observations first: they are facts about work already
    /// done. Then requests, deadlines and gates, then new work, then the verdict.
    mutating func advance() {
        if phase.isTerminal {
            guard phase == .failed, retryIfRequested() else { return }
        }
        if status.plan == nil {
            guard !cancelBeforeAdmission(), admit() else { return }
        }
        applyObservations()
        handleRequests()
        enforceDeadlines()
        if stopReason == nil, phase != .paused, phase != .pausing {
            evaluateStartGate()
        }
        schedule()
        conclude()
    }

    func result() -> StepResult {
        StepResult(status: status, effects: effects, events: events, planUpdates: planUpdates,
                   requeueAfter: requeueAfter())
    }
}
