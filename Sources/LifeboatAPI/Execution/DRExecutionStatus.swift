import YAML

/// What the controller reports about a run. Compact by design: a 500-resource plan must stay far
/// below the 1.5 MiB object limit, so per-resource entries carry only what a person or a resume
/// needs.
public struct DRExecutionStatus: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    /// A display aid; conditions are the API.
    public var phase: ExecutionPhase?
    public var startTime: Timestamp?
    public var completionTime: Timestamp?
    /// What this run executes: the plan as it was when the run started.
    public var plan: PlanSnapshot?
    public var actingRegion: String?
    public var peerRegion: String?
    public var currentLayer: String?
    public var progress: Progress?
    public var gates: [Gate]?
    public var layers: [LayerStatus]?
    /// Echo of the last imperative annotation tokens handled.
    public var lastHandled: HandledRequests?
    /// Set when `lifeboat.dev/override-guards` let a Recovery Cleanup/Replicate start.
    public var guardOverride: GuardOverride?
    public var conditions: [Condition]?

    public init() {}
}

public enum ExecutionPhase: String, APIEnum {
    case pending = "Pending"
    case awaitingApproval = "AwaitingApproval"
    case running = "Running"
    case pausing = "Pausing"
    case paused = "Paused"
    case cancelling = "Cancelling"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case cancelled = "Cancelled"

    public var isTerminal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

public struct PlanSnapshot: Codable, Sendable, Hashable {
    public var name: String
    public var uid: String?
    public var generation: Int64?
    /// SHA-256 of the canonical JSON of `snapshot`.
    public var snapshotHash: String?
    /// Kept verbatim for audit: the CRD preserves it unpruned, so a later schema change never
    /// rewrites what a past run executed.
    public var snapshot: DRPlanSpec?

    public init(name: String, uid: String? = nil, generation: Int64? = nil, snapshotHash: String? = nil,
                snapshot: DRPlanSpec? = nil) {
        self.name = name
        self.uid = uid
        self.generation = generation
        self.snapshotHash = snapshotHash
        self.snapshot = snapshot
    }
}

public struct Progress: Codable, Sendable, Hashable {
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    public var running: Int
    public var pending: Int
    public var skipped: Int
    public var cancelled: Int
    /// `5/12` (finished/total), for the Progress printer column.
    public var summary: String?

    public init(total: Int = 0, succeeded: Int = 0, failed: Int = 0, running: Int = 0, pending: Int = 0,
                skipped: Int = 0, cancelled: Int = 0) {
        self.total = total
        self.succeeded = succeeded
        self.failed = failed
        self.running = running
        self.pending = pending
        self.skipped = skipped
        self.cancelled = cancelled
        self.summary = "\(succeeded + failed + skipped + cancelled)/\(total)"
    }
}

public struct Gate: Codable, Sendable, Hashable {
    public enum State: String, APIEnum {
        case waiting = "Waiting"
        case approved = "Approved"
        case rejected = "Rejected"
    }

    /// `start` or `layer-<layerName>`.
    public var id: String
    public var state: State
    public var requestedAt: Timestamp?
    public var decidedAt: Timestamp?
    public var decidedBy: String?
    public var message: String?

    public init(id: String, state: State, requestedAt: Timestamp? = nil, decidedAt: Timestamp? = nil,
                decidedBy: String? = nil, message: String? = nil) {
        self.id = id
        self.state = state
        self.requestedAt = requestedAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.message = message
    }

    public static let startID = "start"
}

public struct LayerStatus: Codable, Sendable, Hashable {
    public enum State: String, APIEnum {
        case pending = "Pending"
        case running = "Running"
        case succeeded = "Succeeded"
        case failed = "Failed"
        case skipped = "Skipped"
        case cancelled = "Cancelled"
    }

    public var name: String
    public var state: State
    public var startTime: Timestamp?
    public var completionTime: Timestamp?
    public var resources: [ResourceStatus]

    public init(name: String, state: State = .pending, startTime: Timestamp? = nil,
                completionTime: Timestamp? = nil, resources: [ResourceStatus] = []) {
        self.name = name
        self.state = state
        self.startTime = startTime
        self.completionTime = completionTime
        self.resources = resources
    }
}

public struct ResourceStatus: Codable, Sendable, Hashable {
    public enum State: String, APIEnum {
        case pending = "Pending"
        /// Intent recorded: `start` may or may not have reached AWS. A restart drives the
        /// idempotent `start` again, which adopts an operation already under way.
        case starting = "Starting"
        case inProgress = "InProgress"
        case succeeded = "Succeeded"
        case failed = "Failed"
        case skipped = "Skipped"
        case cancelled = "Cancelled"

        public var isFinal: Bool { [.succeeded, .failed, .skipped, .cancelled].contains(self) }
    }

    public var name: String
    public var module: ModuleName
    public var state: State
    /// What the resource does in this run (drill behaviour applied).
    public var action: DrillBehaviour?
    /// How many times `start` (or the preflight, for Validate) was issued.
    public var attempts: Int?
    /// Consecutive transient errors (throttling, 5xx) of the current operation; drives backoff.
    public var transientErrors: Int?
    public var message: String?
    /// The AWS (or module) error code of the last failure.
    public var errorCode: String?
    public var startTime: Timestamp?
    public var completionTime: Timestamp?
    /// When the next poll or retry is due.
    public var nextCheckTime: Timestamp?
    /// Small module state needed to poll or resume (job ids, target ARNs).
    public var checkpoint: JSONValue?

    public init(name: String, module: ModuleName, state: State = .pending) {
        self.name = name
        self.module = module
        self.state = state
    }
}

public struct HandledRequests: Codable, Sendable, Hashable {
    public var pause: String?
    public var resume: String?
    public var cancel: String?
    public var retry: String?

    public init(pause: String? = nil, resume: String? = nil, cancel: String? = nil, retry: String? = nil) {
        self.pause = pause
        self.resume = resume
        self.cancel = cancel
        self.retry = retry
    }
}

public struct GuardOverride: Codable, Sendable, Hashable {
    public var reason: String
    public var at: Timestamp?

    public init(reason: String, at: Timestamp? = nil) {
        self.reason = reason
        self.at = at
    }
}
