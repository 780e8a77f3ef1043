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

/// Break-glass mode: `StepDriver`, the loop the operator runs, with the state directory as the
/// store and the real clock (`LocalExecutionStore`).
///
/// The status returned with a `start` effect says the resource is `Starting`; it is on disk
/// before the effect runs, so a run killed at any point resumes by driving `Starting` again
/// through the idempotent start (which adopts an operation already under way).
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
        var local = try LocalExecutionStore(runner: self, observer: observer)
        var driver = StepDriver(plan: plan, settings: settings)
        let turn: StepDriver.Turn
        do { turn = try await driver.run(&local) } catch let error as LocalStoreError { throw error } catch {
            throw LocalStoreError(.io, "the run stopped: \(error)")
        }
        if case .stalled(let reason, let message) = turn.action {
            return .stalled(turn.execution, reason: reason, message: message)
        }
        return .finished(turn.execution)
    }
}
