/// DRExecution: one run of a plan for one lifecycle phase (API.md). The spec is immutable after
/// creation; imperative requests (approve, pause, cancel, …) are annotations.
public struct DRExecution: KubernetesObject {
    public static let apiVersion = LifeboatGroup.apiVersion
    public static let kind = "DRExecution"

    public var metadata: ObjectMeta
    public var spec: DRExecutionSpec
    public var status: DRExecutionStatus?
    public var decodingProblems: [ValidationProblem] = []

    public init(metadata: ObjectMeta, spec: DRExecutionSpec, status: DRExecutionStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct DRExecutionSpec: Codable, Sendable, Hashable {
    public var planRef: PlanReference
    public var phase: Phase
    /// Required, never defaulted: a person must say whether this is a drill.
    public var mode: ExecutionMode
    @Defaulted<Defaults.FailoverDirection> public var direction: Direction
    @Defaulted<Defaults.GracefulStrategy> public var strategy: Strategy
    /// Run only these resources (by name); all of them when absent.
    public var resources: [String]?
    /// Deadline for the whole run, measured from its start.
    public var timeout: GoDuration?

    public init(planRef: PlanReference, phase: Phase, mode: ExecutionMode, direction: Direction = .failover,
                strategy: Strategy = .graceful, resources: [String]? = nil, timeout: GoDuration? = nil) {
        self.planRef = planRef
        self.phase = phase
        self.mode = mode
        self.direction = direction
        self.strategy = strategy
        self.resources = resources
        self.timeout = timeout
    }
}

public struct PlanReference: Codable, Sendable, Hashable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// The imperative annotations (API.md). Values are tokens: a repeated request is a new request
/// when its token differs from the one echoed in `status.lastHandled`.
public enum LifeboatAnnotation {
    public static let approve = "lifeboat.dev/approve"
    public static let reject = "lifeboat.dev/reject"
    public static let approvedBy = "lifeboat.dev/approved-by"
    public static let createdBy = "lifeboat.dev/created-by"
    public static let pause = "lifeboat.dev/pause"
    public static let resume = "lifeboat.dev/resume"
    public static let cancel = "lifeboat.dev/cancel"
    public static let retry = "lifeboat.dev/retry"
    public static let overrideGuards = "lifeboat.dev/override-guards"

    public static let all = [approve, reject, approvedBy, createdBy, pause, resume, cancel, retry, overrideGuards]
}

/// The finalizer that holds an execution until every in-flight AWS operation is final.
public enum LifeboatFinalizer {
    public static let execution = "lifeboat.dev/execution"
}
