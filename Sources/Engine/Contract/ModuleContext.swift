import LifeboatAPI
import Logging
import YAML

/// The facts of one module call. Everything a module needs to act safely is explicit here:
/// nothing depends on where the controller runs.
public struct ModuleContext: Sendable {
    /// Where this phase acts (API.md "Regions per phase").
    public var actingRegion: String
    /// The other region. In an `Ungraceful` execution a module never calls it.
    public var peerRegion: String
    public var accountId: String
    /// The IAM role assumed in `accountId`.
    public var roleName: String
    public var phase: Phase
    public var mode: ExecutionMode
    public var direction: Direction
    public var strategy: Strategy
    /// For idempotency tags and client tokens (`lifeboat.dev/execution=<uid>`).
    public var executionUID: String
    public var executionName: String
    /// The plan the execution runs: with `resourceName`, it finds what an earlier execution of
    /// the same resource did (DRS drill instances to clean up, for example).
    public var planName: String
    public var resourceName: String
    /// The resource's parameters with references already resolved. Never log them whole: they
    /// may hold resolved secrets.
    public var parameters: JSONValue
    /// When the resource times out; a module should not start work it cannot finish by then.
    public var deadline: Timestamp
    public var logger: Logger

    public init(actingRegion: String, peerRegion: String, accountId: String, roleName: String, phase: Phase,
                mode: ExecutionMode, direction: Direction, strategy: Strategy, executionUID: String,
                executionName: String, planName: String = "", resourceName: String, parameters: JSONValue, deadline: Timestamp,
                logger: Logger) {
        self.actingRegion = actingRegion
        self.peerRegion = peerRegion
        self.accountId = accountId
        self.roleName = roleName
        self.phase = phase
        self.mode = mode
        self.direction = direction
        self.strategy = strategy
        self.executionUID = executionUID
        self.executionName = executionName
        self.planName = planName
        self.resourceName = resourceName
        self.parameters = parameters
        self.deadline = deadline
        self.logger = logger
    }

    /// Whether a data-losing action is allowed (API.md rule 4): only in an Ungraceful Recovery.
    public var allowsDataLoss: Bool { mode == .recovery && strategy == .ungraceful }
    /// Whether the peer region may be called (never in an Ungraceful execution).
    public var mayCallPeerRegion: Bool { strategy == .graceful }
}
