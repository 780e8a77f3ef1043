import ControllerRuntime
import Engine
import Kube
import LifeboatAPI
import Logging

/// The API server as `StepDriver`'s store, for one reconcile of one execution:
///
/// - the execution is the object the reconcile was given, or the newer one this process last
///   wrote (`ExecutionMemory.Entry.newest`); after a lost write, the server's current object;
/// - the plan's state (`activeExecution`, `lastExecutions`, `activeRegion`) is the DRPlan's
///   status, written by a status patch conditioned on the plan's resourceVersion — so two
///   executions can never both claim a plan, whichever replica or restart runs them;
/// - the execution's status is written by a minimal merge patch conditioned on its
///   resourceVersion; a 409 is `StoreConflict`, and the driver steps again over the current object;
/// - a deleting execution carries a cancel request (`lifeboat.dev/cancel: deleted`), in memory
///   only: the run stops starting work and ends once what is in flight is final.
struct KubeExecutionStore: ExecutionStore {
    let executions: Api<DRExecution>
    let plans: Api<DRPlan>
    let events: ExecutionEvents
    var entry: ExecutionMemory.Entry
    /// The execution as the step starts from it.
    private var execution: DRExecution
    /// The plan as last read or written: its status is the plan state, its resourceVersion the
    /// precondition of a claim. nil when the plan does not exist (the engine stalls or goes on
    /// from its snapshot).
    private var plan: DRPlan?
    /// After a lost write, the next load reads the server, not the cache that lost.
    private var reloadFromServer = false

    /// The token of the cancel request a deletion makes.
    static let deletionToken = "deleted"

    init(execution: DRExecution, plan: DRPlan?, executions: Api<DRExecution>, plans: Api<DRPlan>, entry: ExecutionMemory.Entry,
         events: ExecutionEvents) {
        self.execution = entry.newest(execution)
        self.plan = plan
        self.executions = executions
        self.plans = plans
        self.entry = entry
        self.events = events
    }

    var currentTime: Timestamp { Timestamp.now() }

    mutating func load() async throws -> StoredExecution {
        if reloadFromServer {
            execution = try await executions.get(execution.name)
            plan = try await plans.getIfExists(execution.spec.planRef.name)
            reloadFromServer = false
        }
        var loaded = execution
        if loaded.metadata.deletionTimestamp != nil {
            loaded.metadata.annotations = (loaded.metadata.annotations ?? [:])
                .merging([LifeboatAnnotation.cancel: Self.deletionToken]) { current, _ in current }
        }
        return StoredExecution(execution: loaded, planState: PlanState(plan?.status))
    }

    mutating func persist(planUpdates: [PlanUpdate], to planState: PlanState) async throws {
        guard let plan else {
            events.logger.info("plan is gone: its state is not recorded", ["updates": .string("\(planUpdates)")])
            return
        }
        var after = plan
        var status = plan.status ?? DRPlanStatus()
        status.activeExecution = planState.activeExecution
        status.lastExecutions = planState.lastExecutions.isEmpty ? nil : planState.lastExecutions
        status.activeRegion = planState.activeRegion
        after.status = status
        do {
            self.plan = try await StatusPatcher(api: plans).patch(from: plan, to: after)
        } catch let conflict as ConflictError {
            reloadFromServer = true
            throw StoreConflict("\(conflict)")
        }
    }

    mutating func persist(status: DRExecutionStatus, over stored: DRExecution) async throws -> DRExecution {
        var after = stored
        after.status = status
        do {
            let written = try await StatusPatcher(api: executions).patch(from: stored, to: after)
            entry.wrote(written, over: stored)
            execution = written
            return written
        } catch let conflict as ConflictError {
            reloadFromServer = true
            throw StoreConflict("\(conflict)")
        }
    }

    mutating func record(_ step: StepRecord) async throws {
        await events.stepped(step)
    }

    mutating func run(_ effects: [Effect], of execution: DRExecution) async throws -> [Observation] {
        let status = execution.status ?? DRExecutionStatus()
        let observations = await entry.executor.run(effects, for: execution, status: status)
        events.ran(observations, of: execution)
        return observations
    }

    /// The operator never waits inside a reconcile: `ExecutionReconciler` turns the action
    /// into a requeue, and the work queue does the waiting.
    mutating func wait(_ action: StepAction, execution: DRExecution, since: Timestamp) async throws -> Bool { false }

    mutating func finished(_ execution: DRExecution) async {
        await entry.executor.release(execution)
    }
}
