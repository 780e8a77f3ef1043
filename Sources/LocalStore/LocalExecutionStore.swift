#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import LifeboatAPI

/// The state directory as `StepDriver`'s store, for `drctl run`: status and plan state in files
/// (durable before the driver goes on), Events appended to events.log and shown to the
/// observer, effects run through the executor, and waiting on the real clock while watching
/// execution.yaml for requests (`drctl approve`, pause, cancel) and signals.
///
/// `drctl run` is the only writer of status (run.lock); requests are annotations written by
/// other processes under execution.lock, and a status write keeps those on disk. So a status
/// write never conflicts: it has no version to check.
struct LocalExecutionStore: ExecutionStore {
    let runner: LocalRunner
    let observer: any RunObserver
    /// The execution as last read or written, and the plan state.
    private var execution: DRExecution
    private var planState: PlanState
    /// execution.yaml as it was when last read or written: a different one holds new requests.
    private var signature: FileSignature?
    private var handledInterrupts: Int

    var directory: StateDirectory { runner.store }

    init(runner: LocalRunner, observer: any RunObserver) throws(LocalStoreError) {
        self.runner = runner
        self.observer = observer
        guard let execution = try runner.store.readExecution() else {
            throw LocalStoreError(.refused, "state directory \(runner.store.path) holds no execution")
        }
        self.execution = execution
        self.planState = try runner.store.readPlanState()
        self.signature = FileSignature(runner.store.executionPath)
        self.handledInterrupts = runner.interrupts().count
    }

    var currentTime: Timestamp { runner.clock() }

    /// The first SIGINT/SIGTERM since the last step becomes a cancel request before stepping.
    mutating func load() async throws -> StoredExecution {
        let signals = runner.interrupts()
        if signals.count > handledInterrupts {
            handledInterrupts = signals.count
            let name = signals.signal == SIGTERM ? "sigterm" : "sigint"
            execution = try directory.annotate([LifeboatAnnotation.cancel: LocalRequests.token(name, at: runner.clock())])
            signature = FileSignature(directory.executionPath)
            observer.interrupted(execution, signal: signals.signal)
        }
        return StoredExecution(execution: execution, planState: planState)
    }

    mutating func persist(planUpdates: [PlanUpdate], to planState: PlanState) async throws {
        try directory.writePlanState(planState)
        self.planState = planState
    }

    mutating func persist(status: DRExecutionStatus, over execution: DRExecution) async throws -> DRExecution {
        (self.execution, signature) = try directory.writeStatus(status, known: (self.execution, signature))
        return self.execution
    }

    mutating func record(_ step: StepRecord) async throws {
        try directory.appendEvents(step.result.events, execution: step.execution.metadata.name ?? "", at: step.now)
        observer.stepped(step.execution, events: step.result.events, now: step.now)
    }

    mutating func run(_ effects: [Effect], of execution: DRExecution) async throws -> [Observation] {
        await runner.executor.run(effects, for: execution, status: execution.status ?? DRExecutionStatus())
    }

    /// Waits for the due time, a changed request, a person's answer or a signal. A stalled run
    /// is not waited for: only a person changing the command helps, and `drctl run` says so.
    mutating func wait(_ action: Action, execution current: DRExecution, since: Timestamp) async throws -> Bool {
        if case .stalled = action { return false }
        let due = action.due(from: since)
        let gate = current.status?.gates?.first { $0.state == .waiting }?.id
        while runner.interrupts().count == handledInterrupts {
            let now = runner.clock()
            if let due, now >= due { return true }
            let fresh = FileSignature(directory.executionPath)
            if fresh != signature {
                signature = fresh
                if let read = try directory.readExecution(), read.metadata.annotations != execution.metadata.annotations {
                    execution = read
                    return true
                }
            }
            let remaining = due.map { Duration.milliseconds(max(1, $0.milliseconds(since: now))) }
            let slice = remaining.map { min($0, runner.watchInterval) } ?? runner.watchInterval
            observer.waiting(current, now: now)
            if let gate, observer.asksPeople, current.status?.phase == .awaitingApproval {
                guard let answer = observer.answer(gate: gate, of: current, within: slice) else { continue }
                execution = try directory.annotate { onDisk in
                    LocalRequests.deciding([gate], approve: answer == .approve, in: onDisk, by: runner.person)
                }
                signature = FileSignature(directory.executionPath)
                return true
            }
            try? await Task.sleep(for: slice)
        }
        return true
    }

    mutating func finished(_ execution: DRExecution) async {
        await runner.executor.release(execution)
    }
}
