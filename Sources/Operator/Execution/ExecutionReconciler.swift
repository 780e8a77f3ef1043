import ControllerRuntime
import Engine
import Kube
import LifeboatAPI
import Logging

/// The DRExecution reconciler: one `StepDriver` turn per reconcile, the store being the API
/// server (`KubeExecutionStore`). It has no DR rules of its own — those are the Engine's; it
/// keeps the finalizer, finds the plan, hands the step's decision to the work queue and keeps
/// the step driver's memory between reconciles.
///
/// - Effects ran (their intent written first): reconcile again at once, with their observations.
/// - A due time (a module poll, a retry, a busy plan): requeue after it; no worker sleeps.
/// - Waiting for a person (a gate, a pause, a stall): nothing until the object changes — an
///   annotation edit does not bump `generation`, so the controller's predicate passes
///   annotation changes too.
/// - Deletion: the finalizer `lifeboat.dev/execution` holds the object while the run is not
///   over; the run is cancelled (no new work) and tracked until what is in flight is final.
struct ExecutionReconciler: Sendable {
    static let finalizer = Finalizer("lifeboat.dev/execution")

    let client: KubeClient
    let plans: Store<DRPlan>
    let memory: ExecutionMemory
    let runtime: ModuleRuntime
    let externalIDs: ExternalIDSource
    let events: ExecutionEvents
    let settings: EngineSettings
    let defaultRoleName: String?
    let logger: Logger

    func reconcile(_ cached: DRExecution) async throws -> ControllerRuntime.Action {
        let executions = client.api(DRExecution.self, LifeboatKinds.executions, namespace: cached.namespace)
        let uid = cached.metadata.uid ?? cached.key.description
        let finished = (cached.status?.phase?.isTerminal ?? false) && !Self.retryRequested(cached)
        if finished || (Finalizer.isBeingDeleted(cached) && !Self.finalizer.isPresent(on: cached)) {
            // Over (or never ours): nothing in flight any more, so nothing to hold the object for.
            await memory.forget(uid)
            if Finalizer.isBeingDeleted(cached) { events.metrics.executionGone(cached) }
            _ = try await Self.finalizer.remove(from: cached, api: executions)
            return .awaitChange
        }
        let execution = Finalizer.isBeingDeleted(cached) ? cached : try await Self.finalizer.add(to: cached, api: executions)
        let log = logger.with(["execution": .string(execution.key.description), "plan": .string(execution.spec.planRef.name)])
        var entry: ExecutionMemory.Entry
        if let kept = await memory.take(uid) {
            entry = kept
        } else {
            do {
                entry = try await newEntry(for: execution, logger: log)
            } catch let unavailable as ExternalIDSource.Unavailable {
                // Nothing can call AWS without it; what is in flight there goes on and is adopted
                // once the Secret is fixed. Said where people look, then retried with backoff.
                log.warning("the external id is unavailable", ["error": .string(unavailable.description)])
                events.recorder?.record(.warning, regarding: ObjectReference(execution, LifeboatKinds.executions),
                                              reason: "ExternalIDUnavailable", action: "Admit", note: unavailable.description)
                throw unavailable
            }
        }
        let livePlan = await plans.get(ObjectKey(namespace: execution.namespace, name: execution.spec.planRef.name))
        var driver = entry.driver
        driver.plan = livePlan.map(effective)
        var store = KubeExecutionStore(execution: execution, plan: livePlan, executions: executions,
                                       plans: client.api(DRPlan.self, LifeboatKinds.plans, namespace: execution.namespace),
                                       entry: entry, events: ExecutionEvents(recorder: events.recorder, metrics: events.metrics, logger: log))
        let turn = try await driver.turn(&store)
        entry = store.entry
        entry.driver = driver
        switch turn.action {
        case .done:
            await memory.forget(uid)
            _ = try await Self.finalizer.remove(from: turn.execution, api: executions)
            return .awaitChange
        case .runEffects:
            await memory.put(uid, entry)
            return .requeue(after: .zero)
        case .requeue(let after):
            await memory.put(uid, entry)
            return turn.requestedMeanwhile ? .requeue(after: .zero) : .requeue(after: .milliseconds(after.milliseconds))
        case .awaitChange, .stalled:
            await memory.put(uid, entry)
            return turn.requestedMeanwhile ? .requeue(after: .zero) : .awaitChange
        }
    }

    /// A Failed run with a retry token it has not handled yet is not over: the engine runs its
    /// failed and not-started resources again (API.md, "Requests are annotations").
    static func retryRequested(_ execution: DRExecution) -> Bool {
        guard execution.status?.phase == .failed, execution.metadata.deletionTimestamp == nil,
              let token = execution.metadata.annotations?[LifeboatAnnotation.retry], !token.isEmpty else { return false }
        return token != execution.status?.lastHandled?.retry
    }

    /// A driver and an executor for a run this process has not driven yet (or forgot). The
    /// external id is read from the Secret the plan names — the snapshot's plan once the run has
    /// started, so editing the live plan never changes a running execution.
    private func newEntry(for execution: DRExecution, logger: Logger) async throws -> ExecutionMemory.Entry {
        let live = await plans.get(ObjectKey(namespace: execution.namespace, name: execution.spec.planRef.name))
        let spec = execution.status?.plan?.snapshot ?? live.map(effective)?.spec
        var externalID: String?
        if let spec { externalID = try await externalIDs.externalID(for: spec, namespace: execution.namespace ?? "default") }
        let executor = runtime.executor(for: execution.name, roleName: spec?.accounts.roleName ?? Defaults.RoleName.value,
                                        externalID: externalID, logger: logger)
        return ExecutionMemory.Entry(driver: StepDriver(plan: nil, settings: settings), executor: executor)
    }

    /// The plan as the operator runs it: `--default-role-name` replaces the built-in default
    /// role name (a plan that names its own role keeps it). The snapshot records the result.
    private func effective(_ plan: DRPlan) -> DRPlan {
        guard let defaultRoleName, plan.spec.accounts.roleName == Defaults.RoleName.value else { return plan }
        var plan = plan
        plan.spec.accounts.roleName = defaultRoleName
        return plan
    }
}
