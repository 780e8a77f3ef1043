import LifeboatAPI

/// What a driver does after a step: the whole requeue policy in one place (controller-runtime's
/// "one switch"). Every driver — `drctl run`, the simulation, the operator — turns a
/// `StepResult` into an `Action` here and nowhere else, so they cannot drift apart.
public enum Action: Sendable, Equatable {
    /// Run these effects now (the status recording their intent is written), then step again
    /// at once with their observations.
    case runEffects([Effect])
    /// Nothing to run now: step again after this long, or earlier if something changes.
    case requeue(after: GoDuration)
    /// Nothing to run and nothing due: only a change (a request annotation, the plan) helps.
    /// The reason is what a person reads (a waiting gate, a pause).
    case awaitChange(reason: String)
    /// Only a person changing the request can help before admission (`Stalled=True`): a
    /// driver gives up instead of waiting for ever.
    case stalled(reason: String, message: String)
    /// The run is over (Succeeded, Failed or Cancelled).
    case done(ExecutionPhase)

    /// The policy. Order matters: a terminal status wins over anything else; effects are
    /// always run (their intent is on record and must be driven); a stall ends a local run
    /// but an operator may keep the object parked; then a due time, then waiting for a change.
    public init(_ result: StepResult) {
        let status = result.status
        if result.isTerminal {
            self = .done(status.phase ?? .pending)
        } else if !result.effects.isEmpty {
            self = .runEffects(result.effects)
        } else if let stalled = status.conditions?[type: ConditionType.stalled], stalled.status == .true {
            self = .stalled(reason: stalled.reason, message: stalled.message)
        } else if let wait = result.requeueAfter {
            // Never zero: a due time already passed means "step again now", but a driver that
            // requeues with 0 could spin if the engine kept answering 0 for the same instant.
            self = .requeue(after: max(wait, GoDuration(milliseconds: 1)))
        } else {
            let waiting = status.conditions?.first { $0.status == .true && $0.type != ConditionType.reconciling }
            self = .awaitChange(reason: waiting?.message ?? status.phase?.rawValue ?? "waiting")
        }
    }

    /// When a driver that is waiting should step again without a change; nil: only on a change.
    public func due(from now: Timestamp) -> Timestamp? {
        switch self {
        case .requeue(let after): now.adding(after)
        case .runEffects: now
        case .awaitChange, .stalled, .done: nil
        }
    }
}
