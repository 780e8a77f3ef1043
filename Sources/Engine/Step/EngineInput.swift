import LifeboatAPI

/// Everything `Engine.step` looks at. All of it is data: the engine never asks anyone anything.
public struct EngineInput: Sendable {
    /// The execution as stored: spec, annotations (requests) and the last written status.
    public var execution: DRExecution
    /// The live plan. Read only until the run starts; after that the snapshot in status rules.
    public var plan: DRPlan?
    /// What is known about the plan's other runs.
    public var planState: PlanState
    /// What the effects of the previous step produced.
    public var observations: [Observation]
    public var now: Timestamp
    public var settings: EngineSettings

    public init(execution: DRExecution, plan: DRPlan?, planState: PlanState = PlanState(),
                observations: [Observation] = [], now: Timestamp, settings: EngineSettings = EngineSettings()) {
        self.execution = execution
        self.plan = plan
        self.planState = planState
        self.observations = observations
        self.now = now
        self.settings = settings
    }
}

/// The plan-level facts the rules need: which run holds the plan, and the history the
/// phase-order guard reads (DRPlan status).
public struct PlanState: Sendable, Hashable {
    /// The execution that holds the plan now, if any (rule 1: one active run per plan).
    public var activeExecution: String?
    /// The last run of each phase and mode.
    public var lastExecutions: [LastExecution]
    /// The region serving after the last successful Recovery Activate.
    public var activeRegion: String?

    public init(activeExecution: String? = nil, lastExecutions: [LastExecution] = [], activeRegion: String? = nil) {
        self.activeExecution = activeExecution
        self.lastExecutions = lastExecutions
        self.activeRegion = activeRegion
    }

    public init(_ status: DRPlanStatus?) {
        self.init(activeExecution: status?.activeExecution, lastExecutions: status?.lastExecutions ?? [],
                  activeRegion: status?.activeRegion)
    }
}

/// Tunables. Defaults suit AWS: polls every 15 s unless a module hints otherwise, retries from
/// 1 s up to 5 min.
public struct EngineSettings: Sendable, Hashable {
    public var defaultPollInterval: GoDuration
    public var minimumPollInterval: GoDuration
    public var maximumPollInterval: GoDuration
    public var retryBase: GoDuration
    public var retryCap: GoDuration
    /// How soon a run waiting for a busy plan looks again.
    public var planBusyRecheck: GoDuration
    /// How people approve a gate here (kubectl in-cluster, drctl in break-glass mode).
    public var approvalHint: ApprovalHint

    public init(defaultPollInterval: GoDuration = .seconds(15), minimumPollInterval: GoDuration = .seconds(1),
                maximumPollInterval: GoDuration = .minutes(5), retryBase: GoDuration = .seconds(1),
                retryCap: GoDuration = .minutes(5), planBusyRecheck: GoDuration = .seconds(15),
                approvalHint: ApprovalHint = .kubectl) {
        self.defaultPollInterval = defaultPollInterval
        self.minimumPollInterval = minimumPollInterval
        self.maximumPollInterval = maximumPollInterval
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.planBusyRecheck = planBusyRecheck
        self.approvalHint = approvalHint
    }
}

/// The commands a person runs to approve a gate or resume a run, shown in conditions and prompts.
public enum ApprovalHint: Sendable, Hashable {
    case kubectl
    /// Break-glass mode: the commands as the driver spells them (the name it was invoked as, the
    /// state directory, a rehearsal's flags), handed in as data so the engine never guesses them.
    case local(LocalCommands)

    public struct LocalCommands: Sendable, Hashable {
        /// Followed by the gate id, e.g. `drctl approve --state-dir st`.
        public var approve: String
        public var resume: String
        /// A run the phase-order guard refused, run anyway (with a placeholder for the reason).
        public var overrideGuards: String

        public init(approve: String, resume: String, overrideGuards: String) {
            self.approve = approve
            self.resume = resume
            self.overrideGuards = overrideGuards
        }
    }

    public func command(gate: String, execution: ObjectMeta) -> String {
        switch self {
        case .kubectl:
            return "\(Self.annotate(execution)) --overwrite \(LifeboatAnnotation.approve)=\(gate)"
        case .local(let commands):
            return "\(commands.approve) \(gate)"
        }
    }

    /// How to start a run the phase-order guard refused anyway, with a reason that is recorded.
    public func overrideGuardsInstruction(execution: ObjectMeta) -> String {
        switch self {
        case .kubectl:
            return "annotate the execution with the reason: \(Self.annotate(execution)) \(LifeboatAnnotation.overrideGuards)=\"<why>\""
        case .local(let commands):
            return "run it with the reason: \(commands.overrideGuards)"
        }
    }

    /// The command that resumes a paused run (a fresh token each time, as requests need).
    public func resumeCommand(execution: ObjectMeta) -> String {
        switch self {
        case .kubectl:
            return "\(Self.annotate(execution)) --overwrite \(LifeboatAnnotation.resume)=\"$(date +%s)\""
        case .local(let commands):
            return commands.resume
        }
    }

    /// `kubectl annotate drx -n NAMESPACE NAME`, the start of every in-cluster request.
    private static func annotate(_ execution: ObjectMeta) -> String {
        "kubectl annotate drx\(execution.namespace.map { " -n \($0)" } ?? "") \(execution.name ?? "NAME")"
    }
}
