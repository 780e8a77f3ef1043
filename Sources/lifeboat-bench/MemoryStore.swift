import Engine
import LifeboatAPI

/// The bench's store for `StepDriver`: the execution in memory, the real clock, effects through
/// the executor (bounded as in production) and real sleeps until the requeue time. What the
/// bench measures is then the driver loop every way of running an execution shares.
struct MemoryStore: ExecutionStore {
    var execution: DRExecution
    var planState = PlanState()
    let executor: EffectExecutor

    var currentTime: Timestamp { RealClock.now() }

    mutating func load() async throws -> StoredExecution { StoredExecution(execution: execution, planState: planState) }

    mutating func persist(planUpdates: [PlanUpdate], to planState: PlanState) async throws { self.planState = planState }

    mutating func persist(status: DRExecutionStatus, over execution: DRExecution) async throws -> DRExecution {
        self.execution.status = status
        return self.execution
    }

    mutating func record(_ step: StepRecord) async throws {}

    mutating func run(_ effects: [Effect], of execution: DRExecution) async throws -> [Observation] {
        await executor.run(effects, for: execution, status: execution.status ?? DRExecutionStatus())
    }

    mutating func wait(_ action: Action, execution: DRExecution, since: Timestamp) async throws -> Bool {
        guard let due = action.due(from: since) else { return false }
        let left = due.milliseconds(since: RealClock.now())
        if left > 0 { RealClock.sleep(GoDuration(milliseconds: left)) }
        return true
    }

    mutating func finished(_ execution: DRExecution) async { await executor.release(execution) }
}
