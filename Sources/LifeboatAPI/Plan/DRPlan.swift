import YAML

/// DRPlan: ordered layers of resources that together recover one application (API.md).
public struct DRPlan: KubernetesObject {
    public static let apiVersion = LifeboatGroup.apiVersion
    public static let kind = "DRPlan"

    public var metadata: ObjectMeta
    public var spec: DRPlanSpec
    public var status: DRPlanStatus?
    public var decodingProblems: [ValidationProblem] = []

    public init(metadata: ObjectMeta, spec: DRPlanSpec, status: DRPlanStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct DRPlanSpec: Codable, Sendable, Hashable {
    public var description: String?
    public var regions: RegionPair
    @Defaulted<Defaults.EmptyAccounts> public var accounts: AccountSettings
    @Defaulted<Defaults.EmptyApprovals> public var approvals: ApprovalPolicy
    @Defaulted<Defaults.EmptyReadiness> public var readiness: ReadinessSettings
    /// Run one after another, in list order.
    public var layers: [Layer]

    public init(description: String? = nil, regions: RegionPair, accounts: AccountSettings = AccountSettings(),
                approvals: ApprovalPolicy = ApprovalPolicy(), readiness: ReadinessSettings = ReadinessSettings(),
                layers: [Layer]) {
        self.description = description
        self.regions = regions
        self.accounts = accounts
        self.approvals = approvals
        self.readiness = readiness
        self.layers = layers
    }

    /// Every resource of the plan, in execution order.
    public var allResources: [Resource] { layers.flatMap(\.resources) }
}

public struct RegionPair: Codable, Sendable, Hashable {
    public var primary: String
    public var secondary: String

    public init(primary: String, secondary: String) {
        self.primary = primary
        self.secondary = secondary
    }
}

public struct AccountSettings: Codable, Sendable, Hashable {
    /// The 12-digit AWS account used by resources that name none.
    public var `default`: String?
    /// The IAM role assumed in each target account.
    @Defaulted<Defaults.RoleName> public var roleName: String
    /// A Secret holding the external id passed to sts:AssumeRole (never logged).
    public var externalIdSecretRef: SecretKeyReference?

    public init(default: String? = nil, roleName: String = Defaults.RoleName.value,
                externalIdSecretRef: SecretKeyReference? = nil) {
        self.default = `default`
        self.roleName = roleName
        self.externalIdSecretRef = externalIdSecretRef
    }
}

public struct SecretKeyReference: Codable, Sendable, Hashable {
    public var name: String
    public var key: String

    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }
}

public struct ApprovalPolicy: Codable, Sendable, Hashable {
    /// Executions of these phases wait at gate `start`.
    @Defaulted<Defaults.ApprovedPhases> public var phases: [Phase]
    /// Whether drills of those phases wait too.
    @Defaulted<Defaults.DrillsRequireApproval> public var drills: DrillApproval

    public init(phases: [Phase] = Defaults.ApprovedPhases.value, drills: DrillApproval = .required) {
        self.phases = phases
        self.drills = drills
    }
}

public struct ReadinessSettings: Codable, Sendable, Hashable {
    /// How often the read-only preflight runs; 0 disables it.
    @Defaulted<Defaults.ReadinessInterval> public var interval: GoDuration

    public init(interval: GoDuration = Defaults.ReadinessInterval.value) { self.interval = interval }
}

public struct Layer: Codable, Sendable, Hashable {
    /// A DNS label, unique in the plan.
    public var name: String
    /// When true, gate `layer-<name>` must be approved before the layer starts.
    @Defaulted<Defaults.False> public var pauseBefore: Bool
    /// How many resources of the layer run at once; 0 means no limit.
    @Defaulted<Defaults.Zero> public var maxConcurrency: Int
    public var resources: [Resource]

    public init(name: String, pauseBefore: Bool = false, maxConcurrency: Int = 0, resources: [Resource]) {
        self.name = name
        self.pauseBefore = pauseBefore
        self.maxConcurrency = maxConcurrency
        self.resources = resources
    }

    public var gateID: String { "layer-\(name)" }
}

public struct Resource: Codable, Sendable, Hashable {
    /// A DNS label, unique in the plan.
    public var name: String
    public var module: ModuleName
    /// Overrides `spec.accounts.default`.
    public var accountId: String?
    /// A subset of the phases the module supports; all of them when absent.
    public var phases: [Phase]?
    /// Overrides the module's default timeout.
    public var timeout: GoDuration?
    @Defaulted<Defaults.FailOnError> public var onError: OnError
    /// What a drill does with this resource; the module's default when absent.
    public var drill: DrillBehaviour?
    /// Module-specific; validated per module (docs/modules.md).
    public var parameters: JSONValue?

    public init(name: String, module: ModuleName, accountId: String? = nil, phases: [Phase]? = nil,
                timeout: GoDuration? = nil, onError: OnError = .fail, drill: DrillBehaviour? = nil,
                parameters: JSONValue? = nil) {
        self.name = name
        self.module = module
        self.accountId = accountId
        self.phases = phases
        self.timeout = timeout
        self.onError = onError
        self.drill = drill
        self.parameters = parameters
    }
}
