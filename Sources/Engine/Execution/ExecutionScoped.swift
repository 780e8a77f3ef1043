/// Something a process holds per execution (an AWS session of the plan's role, say) that must
/// be let go when the run ends: a long-running operator sees thousands of executions, and
/// keeping each one's sessions for ever is a leak. The driver releases them through
/// `EffectExecutor.release` when a run is over.
public protocol ExecutionScoped: Sendable {
    func release(executionName: String) async
}
