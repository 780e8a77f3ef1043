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
///
/// In memory by default. With a `Journal` (drctl run --simulate keeps it in the state
/// directory) every change is saved before the call returns, so a process killed and started
/// again adopts the operations of the one before, as it would find them in AWS; with a clock,
/// scripts with a `duration` take real time.
public final class SimulatedCloud: Sendable {
    public struct Operation: Sendable, Hashable, Codable {
        public var id: String
        public var resource: String
        public var executionUID: String
        public var pollsAnswered: Int
        public var finished: Bool
        /// When it started (clocked clouds only).
        public var startedAt: Timestamp?
    }

    /// Everything the cloud remembers; the journal stores it as JSON.
    public struct Ledger: Sendable, Codable, Equatable {
        public var operations: [String: Operation] = [:]
        /// Operations really started per resource (adoptions do not count).
        public var effectsApplied: [String: Int] = [:]
        public var startCalls: [String: Int] = [:]
        public var transientStartErrorsThrown: [String: Int] = [:]
        public var transientCheckErrorsThrown: [String: Int] = [:]
        public var preflights: [String: Int] = [:]
        public var nextID = 1

        public init() {}
    }

    /// Where a persistent cloud keeps its ledger, as JSON lines: the whole ledger on the first
    /// line (written at creation), then one line per change, appended before the call that made
    /// it returns. Appending one line keeps a call's cost independent of how many operations
    /// the cloud holds (rewriting the whole ledger made a 5,000-resource rehearsal quadratic).
    public struct Journal: Sendable {
        public var read: @Sendable () throws -> String?
        /// Replaces the whole journal.
        public var write: @Sendable (String) throws -> Void
        /// Adds one line (a change) at the end.
        public var append: @Sendable (String) throws -> Void

        public init(read: @escaping @Sendable () throws -> String?, write: @escaping @Sendable (String) throws -> Void,
                    append: @escaping @Sendable (String) throws -> Void) {
            self.read = read
            self.write = write
            self.append = append
        }
    }

    /// A line before the last that is not a change: not something a crash leaves behind.
    public struct JournalDamaged: Error, CustomStringConvertible {
        public let line: Int
        public let detail: String
        public var description: String { "line \(line) is not a change of the simulated cloud: \(detail)" }
    }

    /// One journal line: what one call changed, as the new values of the operation and the
    /// resource's counters it touched (absent: none), so replaying a line twice is harmless.
    struct Change: Codable, Equatable {
        var key: String
        var operation: Operation?
        var resource: String
        var effectsApplied: Int?
        var startCalls: Int?
        var transientStartErrorsThrown: Int?
        var transientCheckErrorsThrown: Int?
        var preflights: Int?
        var nextID: Int

        init(key: String, resource: String, in ledger: Ledger) {
            self.key = key
            self.operation = ledger.operations[key]
            self.resource = resource
            effectsApplied = ledger.effectsApplied[resource]
            startCalls = ledger.startCalls[resource]
            transientStartErrorsThrown = ledger.transientStartErrorsThrown[resource]
            transientCheckErrorsThrown = ledger.transientCheckErrorsThrown[resource]
            preflights = ledger.preflights[resource]
            nextID = ledger.nextID
        }

        func apply(to ledger: inout Ledger) {
            ledger.operations[key] = operation
            ledger.effectsApplied[resource] = effectsApplied
            ledger.startCalls[resource] = startCalls
            ledger.transientStartErrorsThrown[resource] = transientStartErrorsThrown
            ledger.transientCheckErrorsThrown[resource] = transientCheckErrorsThrown
            ledger.preflights[resource] = preflights
            ledger.nextID = nextID
        }
    }

    private let state: Mutex<Ledger>
    public let scripts: [String: ResourceScript]
    /// The script of resources `scripts` does not name.
    public let defaultScript: ResourceScript
    private let journal: Journal?
    private let clock: (@Sendable () -> Timestamp)?

    public init(scripts: [String: ResourceScript] = [:]) {
        self.state = Mutex(Ledger())
        self.scripts = scripts
        self.defaultScript = .quick
        self.journal = nil
        self.clock = nil
    }

    /// A cloud that continues the ledger in `journal` (an empty one when there is none yet).
    public init(scripts: [String: ResourceScript], defaultScript: ResourceScript, journal: Journal,
                clock: @escaping @Sendable () -> Timestamp) throws {
        let ledger = try journal.read().map(Self.replay) ?? Ledger()
        self.state = Mutex(ledger)
        self.scripts = scripts
        self.defaultScript = defaultScript
        self.journal = journal
        self.clock = clock
        try journal.write(Self.encode(ledger))  // compacted: one line again
    }

    /// The ledger a journal holds: its first line, then every change in order. A last line cut
    /// short by a crash mid-append is a change that never completed, and is dropped. A journal
    /// of an older release (the ledger alone, pretty-printed) reads as it is.
    static func replay(_ text: String) throws -> Ledger {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { return Ledger() }
        guard var ledger = try? YAMLDecoder().decode(Ledger.self, from: JSONParser.parse(String(first))) else {
            return try YAMLDecoder().decode(Ledger.self, from: JSONParser.parse(text))
        }
        for (index, line) in lines.enumerated().dropFirst() {
            do {
                try YAMLDecoder().decode(Change.self, from: JSONParser.parse(String(line))).apply(to: &ledger)
            } catch where index == lines.count - 1 {
                break
            } catch {
                throw JournalDamaged(line: index + 1, detail: "\(error)")
            }
        }
        return ledger
    }

    /// Rewrites the journal as its ledger alone (one JSON object): done when a run ends, so a
    /// finished rehearsal leaves a file people and tools read as it is.
    public func compact() throws {
        guard let journal else { return }
        try state.withLock { ledger in try journal.write(Self.encode(ledger)) }
    }

    public func script(for resource: String) -> ResourceScript { scripts[resource] ?? defaultScript }

    /// How many operations were really started per resource (adoptions do not count).
    public var effectsApplied: [String: Int] { state.withLock { $0.effectsApplied } }
    public var startCalls: [String: Int] { state.withLock { $0.startCalls } }
    public var preflights: [String: Int] { state.withLock { $0.preflights } }
    public var operations: [Operation] { state.withLock { Array($0.operations.values) } }
    public var ledger: Ledger { state.withLock { $0 } }

    private static func key(_ execution: String, _ resource: String) -> String { "\(execution)/\(resource)" }

    static func encode<T: Encodable>(_ value: T) throws -> String { JSONWriter.write(try JSONValueEncoder().encode(value), pretty: false) + "\n" }

    /// Applies a change to the ledger (of the operation `key` and the counters of `resource`);
    /// with a journal, the change counts only once its line is appended (a failed append is a
    /// transient error: the engine tries again, as with a flaky API).
    private func update<T>(key: String, resource: String, _ change: (inout Ledger) -> Result<T, ModuleError>) -> Result<T, ModuleError> {
        state.withLock { ledger in
            // In place, comparing only what a call can touch: copying or comparing the whole
            // ledger would make every call cost as much as the cloud holds.
            let before = Change(key: key, resource: resource, in: ledger)
            let result = change(&ledger)
            let after = Change(key: key, resource: resource, in: ledger)
            guard after != before, let journal else { return result }
            do { try journal.append(Self.encode(after)) } catch {
                before.apply(to: &ledger)  // not saved: it did not happen
                return .failure(.transient("the simulation journal could not be written: \(error)", code: "JournalUnavailable"))
            }
            return result
        }
    }

    func start(_ context: ModuleContext) throws(ModuleError) -> StartResult {
        let script = script(for: context.resourceName)
        let key = Self.key(context.executionUID, context.resourceName)
        let now = clock?()
        return try update(key: key, resource: context.resourceName) { state -> Result<StartResult, ModuleError> in
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
                                              pollsAnswered: 0, finished: false, startedAt: now)
            state.effectsApplied[context.resourceName, default: 0] += 1
            return .success(StartResult(checkpoint: ["operation": .string(id)], message: "started operation \(id)"))
        }.get()
    }

    func check(_ context: ModuleContext, checkpoint: JSONValue) throws(ModuleError) -> CheckResult {
        let script = script(for: context.resourceName)
        let key = Self.key(context.executionUID, context.resourceName)
        let now = clock?()
        return try update(key: key, resource: context.resourceName) { state -> Result<CheckResult, ModuleError> in
            guard var operation = state.operations[key], checkpoint["operation"]?.stringValue == operation.id else {
                return .success(.failed(reason: "operation \(checkpoint["operation"]?.stringValue ?? "?") not found", code: "NotFound"))
            }
            if state.transientCheckErrorsThrown[context.resourceName, default: 0] < script.transientCheckErrors {
                state.transientCheckErrorsThrown[context.resourceName, default: 0] += 1
                return .failure(.transient("service unavailable", code: "ServiceUnavailable"))
            }
            if let progress = Self.progress(of: operation, script: script, now: now) {
                operation.pollsAnswered += 1
                state.operations[key] = operation
                return .success(progress)
            }
            operation.finished = true
            state.operations[key] = operation
            switch script.ending {
            case .succeed: return .success(.succeeded(message: "\(operation.id) completed"))
            case .fail(let reason, let code): return .success(.failed(reason: reason, code: code))
            }
        }.get()
    }

    /// The answer while the operation still runs, or nil when it has ended: by time when the
    /// script has a duration and the cloud a clock, by polls otherwise.
    private static func progress(of operation: Operation, script: ResourceScript, now: Timestamp?) -> CheckResult? {
        if let duration = script.duration, let now, let started = operation.startedAt {
            let elapsed = GoDuration(milliseconds: max(0, now.milliseconds(since: started)))
            guard elapsed < duration else { return nil }
            let remaining = GoDuration(milliseconds: duration.milliseconds - elapsed.milliseconds)
            return .inProgress(message: "\(operation.id): \(elapsed) of \(duration)", nextPoll: min(script.pollHint, remaining))
        }
        guard operation.pollsAnswered < script.polls else { return nil }
        return .inProgress(message: "\(operation.id): \(operation.pollsAnswered + 1)/\(script.polls + 1)", nextPoll: script.pollHint)
    }

    func preflight(_ context: ModuleContext) throws(ModuleError) -> PreflightReport {
        try update(key: Self.key(context.executionUID, context.resourceName), resource: context.resourceName) { state -> Result<Void, ModuleError> in
            state.preflights[context.resourceName, default: 0] += 1
            return .success(())
        }.get()
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

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport { try cloud.preflight(context) }
    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult { try cloud.start(context) }
    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        try cloud.check(context, checkpoint: checkpoint)
    }
}

/// For rehearsals without AWS: parameter references (`resolve:ssm:…`, `!Import …`) are handed to
/// the simulated modules as the opaque strings they are, unresolved.
public struct OpaqueReferences: ReferenceResolving {
    public init() {}

    public func resolve(_ parameters: JSONValue, accountId: String, roleName: String, region: String) async throws(ModuleError) -> JSONValue {
        parameters
    }
}
