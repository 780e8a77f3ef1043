/// What the controller reports about a plan. Written only by the controller.
public struct DRPlanStatus: Codable, Sendable, Hashable {
    public var observedGeneration: Int64?
    /// `Valid` (schema and semantic validation) and `Ready` (valid and the last readiness
    /// preflight passed).
    public var conditions: [Condition]?
    public var readiness: [ResourceReadiness]?
    /// The region that serves after the last successful Activate.
    public var activeRegion: String?
    /// The name of the execution running now.
    public var activeExecution: String?
    /// The most recent execution of each phase and mode.
    public var lastExecutions: [LastExecution]?
    /// Counts for the Layers and Resources printer columns (JSONPath cannot count).
    public var layerCount: Int?
    public var resourceCount: Int?

    public init() {}
}

public struct ResourceReadiness: Codable, Sendable, Hashable {
    public enum State: String, APIEnum {
        case ready = "Ready"
        case notReady = "NotReady"
        case unknown = "Unknown"
    }

    public var name: String
    public var state: State
    public var message: String?
    public var checkedAt: Timestamp?

    public init(name: String, state: State, message: String? = nil, checkedAt: Timestamp? = nil) {
        self.name = name
        self.state = state
        self.message = message
        self.checkedAt = checkedAt
    }
}

public struct LastExecution: Codable, Sendable, Hashable {
    public enum Result: String, APIEnum {
        case succeeded = "Succeeded"
        case failed = "Failed"
        case cancelled = "Cancelled"
    }

    public var phase: Phase
    public var name: String
    public var mode: ExecutionMode
    public var direction: Direction?
    public var result: Result
    public var completionTime: Timestamp?

    public init(phase: Phase, mode: ExecutionMode, name: String, direction: Direction? = nil,
                result: Result, completionTime: Timestamp? = nil) {
        self.phase = phase
        self.name = name
        self.mode = mode
        self.direction = direction
        self.result = result
        self.completionTime = completionTime
    }
}
