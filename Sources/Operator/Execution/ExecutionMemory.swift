import Engine
import LifeboatAPI

/// What the operator keeps between two reconciles of one running execution: the step driver
/// (holding the observations of the effects the last reconcile ran, for the next step only),
/// its executor (AWS sessions), and the object the API server last returned — the informer's
/// copy can lag behind the operator's own write, and a step must start from the newest object.
///
/// Nothing here is needed for safety: a new leader, or a restarted process, starts with none
/// of it and learns the same facts again from the idempotent `start` and from `check`
/// (docs/engine.md, "The invariant"). Entries are dropped when a run ends or its object goes.
actor ExecutionMemory {
    struct Entry: Sendable {
        var driver: StepDriver
        var executor: EffectExecutor
        /// The execution as the server last returned it to this process.
        var lastWritten: DRExecution?
        /// resourceVersions this process wrote over: an informer copy still at one of them is
        /// older than `lastWritten`. resourceVersions are opaque, so "older" can only be known
        /// this way, never by comparing them.
        var superseded: [String] = []

        /// The newer of the informer's copy and the last written one.
        func newest(_ cached: DRExecution) -> DRExecution {
            guard let lastWritten, let version = cached.metadata.resourceVersion, superseded.contains(version) else { return cached }
            return lastWritten
        }

        mutating func wrote(_ written: DRExecution, over previous: DRExecution) {
            if let version = previous.metadata.resourceVersion {
                superseded.append(version)
                if superseded.count > 16 { superseded.removeFirst(superseded.count - 16) }
            }
            lastWritten = written
        }
    }

    private var entries: [String: Entry] = [:]

    func take(_ uid: String) -> Entry? { entries.removeValue(forKey: uid) }
    func put(_ uid: String, _ entry: Entry) { entries[uid] = entry }
    func forget(_ uid: String) { entries[uid] = nil }
    var count: Int { entries.count }
}
