#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import LifeboatAPI
import YAML

/// The files of one break-glass run (docs/break-glass.md "The state directory"):
///
///     execution.yaml    the DRExecution: spec, annotations (requests) and status, in one file so
///                       status and requests always travel together
///     plan.yaml         the plan as given, for audit (the run executes status.plan.snapshot)
///     plan-state.json   activeExecution, lastExecutions, activeRegion: the plan-level facts the
///                       phase-order guard reads, shared by every run of this directory
///     plan-identity.json  which plan the directory belongs to (PlanIdentity)
///     events.log        the run's Events, one JSON object per line, append-only
///     history/          finished executions replaced by a later run of another phase
///     run.lock          held (flock) by the one `drctl run` driving the directory; holds its pid
///     execution.lock    held for the few milliseconds of each read-modify-write of execution.yaml
///
/// Concurrency protocol: `drctl run` holds run.lock for its whole life. Every change to
/// execution.yaml — the runner's status writes and `drctl approve`'s annotation writes — is a
/// read-modify-write under execution.lock, replacing the file atomically. The runner only ever
/// changes `status` and the requester only `metadata.annotations`, so neither loses the other's
/// update; the runner re-reads annotations on every write and watches the file between steps.
public struct StateDirectory: Sendable {
    public let path: String

    public init(_ path: String) {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed
    }

    public var executionPath: String { "\(path)/execution.yaml" }
    public var planPath: String { "\(path)/plan.yaml" }
    public var planStatePath: String { "\(path)/plan-state.json" }
    public var eventsPath: String { "\(path)/events.log" }
    public var historyPath: String { "\(path)/history" }
    public var planIdentityPath: String { "\(path)/plan-identity.json" }
    public var runLockPath: String { "\(path)/run.lock" }
    public var executionLockPath: String { "\(path)/execution.lock" }

    /// A file of this directory by name (the simulation ledger, say).
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    public var exists: Bool { FileSignature(path) != nil }

    /// Creates the directory (and its parents) if needed.
    public func create() throws(LocalStoreError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/\(component)"
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw .system("cannot create directory \(prefix)") }
        }
    }

    // MARK: run lock

    /// Claims the directory for one `drctl run`; fails at once, naming the holder's pid, when
    /// another run drives it. Also clears temporary files of writers that died mid-write.
    public func acquireRunLock() throws(LocalStoreError) -> FileLock {
        let lock = try FileLock.acquire(runLockPath, purpose: "state directory \(path)")
        AtomicFile.removeStaleTemporaries(in: path)
        return lock
    }

    /// The pid of the `drctl run` driving this directory now, or nil when none does.
    public var runHolder: Int32? {
        FileLock.isHeld(runLockPath) ? (FileLock.holderPID(runLockPath) ?? 0) : nil
    }

    // MARK: execution

    public func readExecution() throws(LocalStoreError) -> DRExecution? {
        guard let text = try AtomicFile.readText(executionPath) else { return nil }
        do {
            return try YAMLDecoder().decode(DRExecution.self, from: text, file: executionPath)
        } catch {
            throw LocalStoreError.damaged(executionPath, "it does not hold a DRExecution: \(error)")
        }
    }

    /// Replaces whatever execution the directory holds (the caller checked it may).
    public func createExecution(_ execution: DRExecution) throws(LocalStoreError) {
        try FileLock.withLock(executionLockPath) { () throws(LocalStoreError) in try write(execution) }
    }

    /// Read-modify-write of execution.yaml under execution.lock. Returns what was written.
    @discardableResult
    public func updateExecution(_ change: (inout DRExecution) throws(LocalStoreError) -> Void) throws(LocalStoreError) -> DRExecution {
        try FileLock.withLock(executionLockPath) { () throws(LocalStoreError) -> DRExecution in
            guard var execution = try readExecution() else {
                throw LocalStoreError(.refused, "state directory \(path) holds no execution (no execution.yaml)")
            }
            try change(&execution)
            try write(execution)
            return execution
        }
    }

    /// Writes a new status, keeping the annotations as they are on disk now (a request written
    /// since the last read is never lost). Returns the execution as written and the file's
    /// signature taken under the lock, so a watcher misses no later change.
    ///
    /// `known` is the execution as the caller last read or wrote it, with the file's signature
    /// then: when the file has not changed since, it is not read again (decoding the whole
    /// execution on every step made a large run's steps cost more than the steps themselves).
    public func writeStatus(_ status: DRExecutionStatus, known: (execution: DRExecution, signature: FileSignature?)? = nil)
        throws(LocalStoreError) -> (execution: DRExecution, signature: FileSignature?) {
        try FileLock.withLock(executionLockPath) { () throws(LocalStoreError) -> (DRExecution, FileSignature?) in
            let unchanged = known.map { $0.signature != nil && $0.signature == FileSignature(executionPath) } ?? false
            guard var execution = try unchanged ? known?.execution : readExecution() else {
                throw LocalStoreError(.refused, "state directory \(path) holds no execution (no execution.yaml)")
            }
            execution.status = status
            try write(execution)
            return (execution, FileSignature(executionPath))
        }
    }

    /// Adds or changes annotations (nil removes one), under the same lock as status writes.
    @discardableResult
    public func annotate(_ changes: [String: String?]) throws(LocalStoreError) -> DRExecution {
        try annotate { _ in changes }
    }

    /// Adds or changes annotations computed from the ones on disk (merging a gate list, say).
    @discardableResult
    public func annotate(_ changes: ([String: String]?) -> [String: String?]) throws(LocalStoreError) -> DRExecution {
        try updateExecution { execution in
            var annotations = execution.metadata.annotations ?? [:]
            for (key, value) in changes(execution.metadata.annotations) { annotations[key] = value }
            execution.metadata.annotations = annotations
        }
    }

    /// Moves the execution to history/<name>.yaml, making room for the next one.
    public func archiveExecution() throws(LocalStoreError) {
        guard let execution = try readExecution() else { return }
        if mkdir(historyPath, 0o755) != 0, errno != EEXIST { throw .system("cannot create \(historyPath)") }
        let target = "\(historyPath)/\(execution.metadata.name ?? "execution").yaml"
        guard rename(executionPath, target) == 0 else { throw .system("cannot move \(executionPath) to \(target)") }
        try AtomicFile.syncDirectory(path)
    }

    private func write(_ execution: DRExecution) throws(LocalStoreError) {
        let text: String
        do { text = try YAMLEncoder().encode(execution) } catch {
            throw LocalStoreError(.corrupt, "cannot encode execution \(execution.metadata.name ?? ""): \(error)")
        }
        try AtomicFile.write(text, to: executionPath)
    }

    // MARK: plan

    public func readPlanText() throws(LocalStoreError) -> String? { try AtomicFile.readText(planPath) }

    public func writePlan(_ text: String) throws(LocalStoreError) { try AtomicFile.write(text, to: planPath) }

    // MARK: plan identity

    /// Which plan this directory belongs to; nil when none is recorded (a new directory, or one
    /// of an older release, whose plan.yaml then tells).
    public func readPlanIdentity() throws(LocalStoreError) -> PlanIdentity? {
        guard let text = try AtomicFile.readText(planIdentityPath) else { return nil }
        guard let value = try? JSONParser.parse(text), let identity = PlanIdentity(json: value) else {
            throw LocalStoreError.damaged(planIdentityPath, "it does not hold a plan identity")
        }
        return identity
    }

    public func writePlanIdentity(_ identity: PlanIdentity) throws(LocalStoreError) {
        try AtomicFile.write(JSONWriter.write(identity.json) + "\n", to: planIdentityPath)
    }

    // MARK: plan state

    /// The plan-level facts (an empty state when the file does not exist yet).
    public func readPlanState() throws(LocalStoreError) -> PlanState {
        guard let text = try AtomicFile.readText(planStatePath) else { return PlanState() }
        do {
            return PlanState(try YAMLDecoder().decode(DRPlanStatus.self, from: JSONParser.parse(text)))
        } catch {
            throw LocalStoreError.damaged(planStatePath, "it does not hold plan state: \(error)")
        }
    }

    public func writePlanState(_ state: PlanState) throws(LocalStoreError) {
        var status = DRPlanStatus()
        status.activeExecution = state.activeExecution
        status.lastExecutions = state.lastExecutions
        status.activeRegion = state.activeRegion
        try AtomicFile.write(Self.json(status) + "\n", to: planStatePath)
    }

    // MARK: events

    /// Appends Events as JSON lines. Append-only and fsynced; after a crash an Event of the
    /// step being redone may appear twice, which an audit log can bear.
    public func appendEvents(_ events: [EngineEvent], execution: String, at time: Timestamp) throws(LocalStoreError) {
        guard !events.isEmpty else { return }
        var text = ""
        for event in events {
            var line: JSONObject = ["time": .string(time.description), "execution": .string(execution),
                                    "type": .string(event.kind.rawValue), "reason": .string(event.reason.rawValue),
                                    "message": .string(event.message)]
            if let subject = event.subject { line["subject"] = .string(subject) }
            text += JSONWriter.write(.object(line), pretty: false) + "\n"
        }
        try AtomicFile.append(text, to: eventsPath, sync: true)
    }

    static func json<T: Encodable>(_ value: T) throws(LocalStoreError) -> String {
        do { return JSONWriter.write(try JSONValueEncoder().encode(value)) } catch {
            throw LocalStoreError(.corrupt, "cannot encode \(T.self): \(error)")
        }
    }
}

/// Identity and modification time of a file: changes whenever the file is replaced or written.
public struct FileSignature: Sendable, Hashable {
    let inode: UInt64
    let size: Int64
    let seconds: Int
    let nanoseconds: Int

    public init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
