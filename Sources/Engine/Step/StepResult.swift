import LifeboatAPI

/// What one step decided.
public struct StepResult: Sendable {
    /// The new status. Write it before running `effects`.
    public var status: DRExecutionStatus
    public var effects: [Effect]
    /// Events to record (events.k8s.io/v1 in-cluster, log lines in break-glass mode).
    public var events: [EngineEvent]
    /// Changes to the plan's status (claim, release, history).
    public var planUpdates: [PlanUpdate]
    /// When to step again if nothing changes; nil means "only when something changes" (an
    /// annotation, the plan). Ignored when there are effects: step again with their observations.
    public var requeueAfter: GoDuration?

    public var isTerminal: Bool { status.phase?.isTerminal ?? false }
}

/// A change the driver applies to the DRPlan's status.
public enum PlanUpdate: Sendable, Hashable {
    /// This execution now holds the plan (`status.activeExecution`).
    case claim(execution: String)
    /// This execution finished: release the plan and record the result. No record for a
    /// Recovery run in which nothing acted (it changed nothing); `activeRegion` is set after a
    /// successful Recovery Activate that acted.
    case release(execution: String, record: LastExecution?, activeRegion: String?)
}

/// An Event for people (API.md "Events").
public struct EngineEvent: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable { case normal = "Normal", warning = "Warning" }

    public enum Reason: String, Sendable, Hashable {
        case executionStarted = "ExecutionStarted"
        case gateWaiting = "GateWaiting"
        case gateApproved = "GateApproved"
        case gateRejected = "GateRejected"
        case layerStarted = "LayerStarted"
        case layerSucceeded = "LayerSucceeded"
        case layerFailed = "LayerFailed"
        case resourceStarted = "ResourceStarted"
        case resourceSucceeded = "ResourceSucceeded"
        case resourceFailed = "ResourceFailed"
        case resourceRetrying = "ResourceRetrying"
        case paused = "Paused"
        case resumed = "Resumed"
        case cancelled = "Cancelled"
        case retrying = "Retrying"
        case executionSucceeded = "ExecutionSucceeded"
        case executionFailed = "ExecutionFailed"
        case guardRefused = "GuardRefused"
        case guardOverridden = "GuardOverridden"
        case planBusy = "PlanBusy"
        case invalidPlan = "InvalidPlan"
    }

    public var kind: Kind
    public var reason: Reason
    public var message: String
    /// The resource or layer it concerns, if any.
    public var subject: String?

    public init(_ kind: Kind, _ reason: Reason, _ message: String, subject: String? = nil) {
        self.kind = kind
        self.reason = reason
        self.message = message
        self.subject = subject
    }

    public var description: String { "\(kind.rawValue) \(reason.rawValue): \(message)" }
}
