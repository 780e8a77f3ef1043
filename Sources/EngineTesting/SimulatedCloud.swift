import Engine
import LifeboatAPI
import Synchronization
import YAML

/// A stand-in for AWS that remembers operations across "process restarts" (it outlives the
/// driver) and counts effects, so tests can prove every effect happened exactly once.
///
/// Like a real module, `start` first looks for an operation already under way for the same
/// execution and resource (as DRS jobs are found by tag) and adopts it instead of starting
/// another.
public final class SimulatedCloud: Sendable {
    public struct Operation: Sendable, Hashable {
        public var id: String
        public var resource: String
        public var executionUID: String
        public var pollsAnswered: Int
        public var finished: Bool
    }

    struct State {
        var operations: [String: Operation] = [:]
        var effectsApplied: [String: Int] = [:]
        var startCalls: [String: Int] = [:]
        var transientStartErrorsThrown: [String: Int] = [:]
        var transientCheckErrorsThrown: [String: Int] = [:]
        var preflights: [String: Int] = [:]
        var nextID = 1
    }

    private let state = Mutex(State())
    public let scripts: [String: ResourceScript]

    public init(scripts: [String: ResourceScript] = [:]) { self.scripts = scripts }

    public func script(for resource: String) -> ResourceScript { scripts[resource] ?? .quick }

    /// How many operations were really started per resource (adoptions do not count).
    public var effectsApplied: [String: Int] { state.withLock { $0.effectsApplied } }
    public var startCalls: [String: Int] { state.withLock { $0.startCalls } }
    public var preflights: [String: Int] { state.withLock { $0.preflights } }
    public var operations: [Operation] { state.withLock { Array($0.operations.values) } }

    private static func key(_ execution: String, _ resource: String) -> String { "\(execution)/\(resource)" }

    func start(_ context: ModuleContext) throws(ModuleError) -> StartResult {
        let script = script(for: context.resourceName)
        let key = Self.key(context.executionUID, context.resourceName)
        let outcome: Result<StartResult, ModuleError> = state.withLock { state in
            state.startCalls[context.resourceName, default: 0] += 1
            // A finished operation is history (a retry after a failure starts afresh).
            if let existing = state.operations[key], !existing.finished {
                return .success(StartResult(checkpoint: ["operation": .string(existing.id)],
                                            message: "adopted operation \(existing.id) already under way"))
            }
            if let denied = script.permanentStartError { return .failure(.permanent(denied, code: "AccessDenied")) }
            if state.transientStartErrorsThrown[context.resourceName, default: 0] < script.transientStartErrors {
                state.transientStartErrorsThrown[context.resourceName, default: 0] += 1
                return .failure(.transient("rate exceeded", code: "ThrottlingException"))
            }
            let id = "op-\(state.nextID)"
            state.nextID += 1
            state.operations[key] = Operation(id: id, resource: context.resourceName, executionUID: context.executionUID,
                                              pollsAnswered: 0, finished: false)
            state.effectsApplied[context.resourceName, default: 0] += 1
            return .success(StartResult(checkpoint: ["operation": .string(id)], message: "started operation \(id)"))
        }
        return try outcome.get()
    }

    func check(_ context: ModuleContext, checkpoint: JSONValue) throws(ModuleError) -> CheckResult {
        let script = script(for: context.resourceName)
        let key = Self.key(context.executionUID, context.resourceName)
        let outcome: Result<CheckResult, ModuleError> = state.withLock { state in
            guard var operation = state.operations[key], checkpoint["operation"]?.stringValue == operation.id else {
                return .success(.failed(reason: "operation \(checkpoint["operation"]?.stringValue ?? "?") not found", code: "NotFound"))
            }
            if state.transientCheckErrorsThrown[context.resourceName, default: 0] < script.transientCheckErrors {
                state.transientCheckErrorsThrown[context.resourceName, default: 0] += 1
                return .failure(.transient("service unavailable", code: "ServiceUnavailable"))
            }
            if operation.pollsAnswered < script.polls {
                operation.pollsAnswered += 1
                state.operations[key] = operation
                return .success(.inProgress(message: "\(operation.id): \(operation.pollsAnswered)/\(script.polls + 1)", nextPoll: script.pollHint))
            }
            operation.finished = true
            state.operations[key] = operation
            switch script.ending {
            case .succeed: return .success(.succeeded(message: "\(operation.id) completed"))
            case .fail(let reason, let code): return .success(.failed(reason: reason, code: code))
            }
        }
        return try outcome.get()
    }

    func preflight(_ context: ModuleContext) -> PreflightReport {
        state.withLock { $0.preflights[context.resourceName, default: 0] += 1 }
        return script(for: context.resourceName).preflightBlocks
            ? PreflightReport(findings: [.init(.blocking, "\(context.resourceName): replication is not healthy")])
            : PreflightReport(findings: [.init(.ok, "\(context.resourceName): ready")])
    }
}

/// A module backed by the simulated cloud, registered under any module name.
public struct SimulatedModule: DRModule {
    public let descriptor: ModuleDescriptor
    public let cloud: SimulatedCloud

    public init(_ name: ModuleName, cloud: SimulatedCloud) {
        self.descriptor = ModuleCatalog.descriptor(for: name)
        self.cloud = cloud
    }

    /// A registry where every module is simulated by the same cloud.
    public static func registry(cloud: SimulatedCloud) -> ModuleRegistry {
        ModuleRegistry(ModuleName.allCases.map { SimulatedModule($0, cloud: cloud) })
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport { cloud.preflight(context) }
    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult { try cloud.start(context) }
    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        try cloud.check(context, checkpoint: checkpoint)
    }
}
