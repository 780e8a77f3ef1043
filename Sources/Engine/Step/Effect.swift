import YAML

/// Work the engine asks its driver to do. Effects are data; the driver runs them through the
/// modules (`EffectExecutor`) and hands back one `Observation` each.
///
/// Crash safety: the status returned with an effect already records the intent (the resource
/// is `Starting` with its attempt number), and the driver writes that status before running
/// the effect. A crash between the two leaves `Starting` behind, which the next step drives again.
public enum Effect: Sendable, Hashable, CustomStringConvertible {
    /// Call the module's idempotent `start` (attempt numbers start at 1).
    case start(resource: String, attempt: Int)
    /// Poll the module with the checkpoint from status.
    case check(resource: String, attempt: Int, checkpoint: JSONValue)
    /// Run the read-only preflight (drill behaviour Validate).
    case preflight(resource: String, attempt: Int)

    public var resource: String {
        switch self {
        case .start(let r, _), .check(let r, _, _), .preflight(let r, _): r
        }
    }

    public var attempt: Int {
        switch self {
        case .start(_, let a), .check(_, let a, _), .preflight(_, let a): a
        }
    }

    public var description: String {
        switch self {
        case .start(let r, let a): "start \(r) (attempt \(a))"
        case .check(let r, _, _): "check \(r)"
        case .preflight(let r, let a): "preflight \(r) (attempt \(a))"
        }
    }
}

/// What came back from one effect.
public struct Observation: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case started(StartResult)
        case checked(CheckResult)
        case preflighted(PreflightReport)
        case failed(ModuleError)
    }

    public var resource: String
    /// The attempt of the effect this answers; an answer to an older attempt is ignored.
    public var attempt: Int
    public var outcome: Outcome

    public init(resource: String, attempt: Int, outcome: Outcome) {
        self.resource = resource
        self.attempt = attempt
        self.outcome = outcome
    }
}
