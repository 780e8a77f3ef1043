#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import LifeboatAPI

/// What a person sees of a local run. `drctl run` has two: a live view with prompts on a
/// terminal, log lines otherwise. Called only from the runner's own task.
public protocol RunObserver: AnyObject {
    /// After a step that changed something, with the execution as written and its Events.
    func stepped(_ execution: DRExecution, events: [EngineEvent], now: Timestamp)
    /// While the run waits (a poll, a backoff, a gate): once per watch interval.
    func waiting(_ execution: DRExecution, now: Timestamp)
    /// Whether a person is at hand to answer gates (a terminal). When false, gates wait for
    /// `drctl approve` from another shell and `answer` is never called.
    var asksPeople: Bool { get }
    /// A gate waits: ask the person, waiting at most `within` for the answer; nil means no
    /// answer yet, and the runner keeps watching for `drctl approve` from another shell too.
    func answer(gate: String, of execution: DRExecution, within: Duration) -> GateAnswer?
    /// The first SIGINT/SIGTERM arrived and a cancel was requested.
    func interrupted(_ execution: DRExecution, signal: Int32)
}

public enum GateAnswer: Sendable, Equatable { case approve, reject }

/// How a local run ended.
public enum RunOutcome: Sendable {
    /// Succeeded, Failed or Cancelled.
    case finished(DRExecution)
    /// It cannot progress without a person changing the command (a refused guard, an invalid
    /// plan). The execution stays in the state directory.
    case stalled(DRExecution, reason: String, message: String)

    public var execution: DRExecution {
        switch self {
        case .finished(let execution), .stalled(let execution, _, _): execution
        }
    }
}

/// The engine's driver loop for break-glass mode: the same loop the operator runs, with the
/// state directory as the store and the real clock.
///
///     step → write plan state, then status (intent recorded) → record Events → run effects
///          → step again with their observations; with no effects, wait until requeueAfter,
///            a request (annotation) arrives, a person answers a gate, or a signal comes.
///
/// The status returned with a `start` effect says the resource is `Starting`; it is on disk
/// before the effect runs, so a run killed at any point resumes by driving `Starting` again
/// through the idempotent start (which adopts an operation already under way). Plan state is
/// written before status: a crash between the two redoes a claim or a release, both idempotent.
public struct LocalRunner: Sendable {
    public let store: StateDirectory
    /// The live plan: used until the run starts, after which status.plan.snapshot rules.
    public let plan: DRPlan?
    public let executor: EffectExecutor
    public let settings: EngineSettings
    /// How often a waiting run looks at execution.yaml for new requests.
    public var watchInterval: Duration = .milliseconds(200)
    public var clock: @Sendable () -> Timestamp = WallClock.now
    public var interrupts: @Sendable () -> Interrupts.Snapshot = Interrupts.current
    /// Who approves when a person answers a prompt.
    public var person: String = LocalRequests.person

    public init(store: StateDirectory, plan: DRPlan?, executor: EffectExecutor, settings: EngineSettings) {
        self.store = store
        self.plan = plan
        self.executor = executor
        self.settings = settings
    }

    public func run(observer: any RunObserver) async throws(LocalStoreError) -> RunOutcome {
        guard var execution = try store.readExecution() else {
            throw LocalStoreError(.refused, "state directory \(store.path) holds no execution")
        }
        var planState = try store.readPlanState()
        var observations: [Observation] = []
        var signature = FileSignature(store.executionPath)
        var handledInterrupts = interrupts().count
        while true {
            let signals = interrupts()
            if signals.count > handledInterrupts {
                handledInterrupts = signals.count
                execution = try requestCancel(signal: signals.signal)
                signature = FileSignature(store.executionPath)
                observer.interrupted(execution, signal: signals.signal)
            }
            let now = clock()
            let input = EngineInput(execution: execution, plan: plan, planState: planState, observations: observations,
                                    now: now, settings: settings)
            let result = Engine.step(input)
            observations = []
            if !result.planUpdates.isEmpty {
                planState.apply(result.planUpdates)
                try store.writePlanState(planState)
            }
            if result.status != execution.status {
                (execution, signature) = try store.writeStatus(result.status)
            }
            try store.appendEvents(result.events, execution: execution.metadata.name ?? "", at: now)
            observer.stepped(execution, events: result.events, now: now)
            if result.isTerminal { return .finished(execution) }
            if !result.effects.isEmpty {
                observations = await executor.run(result.effects, for: execution, status: result.status)
                continue
            }
            if let stalled = result.status.conditions?[type: ConditionType.stalled], stalled.status == .true {
                return .stalled(execution, reason: stalled.reason, message: stalled.message)
            }
            // A request written while the step ran (the status write re-read it): step again now.
            if execution.metadata.annotations != input.execution.metadata.annotations { continue }
            execution = try await wait(until: result.requeueAfter.map { now.adding($0) }, execution: execution,
                                       signature: &signature, handledInterrupts: handledInterrupts, observer: observer)
        }
    }

    /// Waits for the due time, a changed request, a person's answer or a signal; returns the
    /// execution to step with next.
    private func wait(until due: Timestamp?, execution: DRExecution, signature: inout FileSignature?,
                      handledInterrupts: Int, observer: any RunObserver) async throws(LocalStoreError) -> DRExecution {
        let gate = execution.status?.gates?.first { $0.state == .waiting }?.id
        while interrupts().count == handledInterrupts {
            let now = clock()
            if let due, now >= due { return execution }
            let current = FileSignature(store.executionPath)
            if current != signature {
                signature = current
                if let fresh = try store.readExecution(), fresh.metadata.annotations != execution.metadata.annotations {
                    return fresh
                }
            }
            let remaining = due.map { Duration.milliseconds(max(1, $0.milliseconds(since: now))) }
            let slice = remaining.map { min($0, watchInterval) } ?? watchInterval
            observer.waiting(execution, now: now)
            if let gate, observer.asksPeople, execution.status?.phase == .awaitingApproval {
                guard let answer = observer.answer(gate: gate, of: execution, within: slice) else { continue }
                let updated = try store.annotate { current in
                    LocalRequests.deciding([gate], approve: answer == .approve, in: current, by: person)
                }
                signature = FileSignature(store.executionPath)
                return updated
            }
            try? await Task.sleep(for: slice)
        }
        return execution
    }

    private func requestCancel(signal: Int32) throws(LocalStoreError) -> DRExecution {
        let name = signal == SIGTERM ? "sigterm" : "sigint"
        return try store.annotate([LifeboatAnnotation.cancel: LocalRequests.token(name, at: clock())])
    }
}
