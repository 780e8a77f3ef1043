import ControllerRuntime
import Engine
import Kube
import LifeboatAPI
import Logging
import Synchronization

/// The DRPlan reconciler. It writes only its own part of the status — `observedGeneration`,
/// `Valid`, `Ready`, `readiness[]`, `layerCount`, `resourceCount` — with a minimal merge patch;
/// `activeExecution`, `lastExecutions` and `activeRegion` are the executions' (their claims and
/// releases), except that it lets go of a claim whose execution no longer exists.
///
/// - `Valid`: the schema (what could not be decoded) and every semantic rule, each problem by
///   path. An invalid plan never stops anything but itself.
/// - `Ready`: the read-only preflight of every resource (`PlanReadiness`), every
///   `spec.readiness.interval` with a per-plan jitter of up to 10% (plans created together do not
///   check together), at once after a spec change, at most `readinessSlots` plans at a time, and
///   after AWS errors sooner but backing off: 1m, 2m, 4m… up to the interval.
struct PlanReconciler: Sendable {
    let client: KubeClient
    let executions: Store<DRExecution>
    let runtime: ModuleRuntime
    let externalIDs: ExternalIDSource
    let metrics: LifeboatMetrics
    let slots: ConcurrencyLimit
    let backoff: PlanBackoff
    let logger: Logger

    func reconcile(_ plan: DRPlan) async throws -> ControllerRuntime.Action {
        let plans = client.api(DRPlan.self, LifeboatKinds.plans, namespace: plan.namespace)
        let now = Timestamp.now()
        var status = plan.status ?? DRPlanStatus()
        let generation = plan.metadata.generation
        status.observedGeneration = generation
        status.layerCount = plan.spec.layers.count
        status.resourceCount = plan.spec.allResources.count
        var conditions = status.conditions ?? []

        let problems = (plan.decodingProblems + plan.validate()).errors
        if problems.isEmpty {
            conditions.set("Valid", .true, reason: "Valid", message: "the plan passed every check", observedGeneration: generation, now: now)
        } else {
            let listed = problems.prefix(20).map(\.description).joined(separator: "; ")
            let more = problems.count > 20 ? "; and \(problems.count - 20) more" : ""
            conditions.set("Valid", .false, reason: "Invalid", message: "\(problems.count) problem\(problems.count == 1 ? "" : "s"): \(listed)\(more)",
                           observedGeneration: generation, now: now)
        }

        if let holder = status.activeExecution, try await isGone(holder, namespace: plan.namespace) {
            logger.warning("releasing the claim of an execution that no longer exists",
                           ["plan": .string(plan.key.description), "execution": .string(holder)])
            status.activeExecution = nil
        }

        var next: Duration? = nil
        let interval = plan.spec.readiness.interval
        if !problems.isEmpty {
            conditions.set("Ready", .false, reason: "Invalid", message: "the plan is not valid (see the Valid condition)",
                           observedGeneration: generation, now: now)
            status.readiness = nil
        } else if interval <= .zero {
            conditions.set("Ready", .unknown, reason: "ReadinessDisabled", message: "readiness checks are off (spec.readiness.interval: 0)",
                           observedGeneration: generation, now: now)
            status.readiness = nil
        } else {
            let due = await dueTime(of: plan, interval: interval)
            if conditions[type: "Ready"]?.observedGeneration != generation || due.map({ now >= $0 }) ?? true {
                await check(plan, into: &status, conditions: &conditions, now: now)
                next = await wait(for: plan, interval: interval)
            } else if let due {
                next = .milliseconds(max(1, due.milliseconds(since: now)))
            }
        }
        status.conditions = conditions
        metrics.planReady(plan, ready: conditions.isTrue("Ready"))

        let releasing = plan.status?.activeExecution != nil && status.activeExecution == nil ? plan.status?.activeExecution : nil
        do {
            _ = try await StatusPatcher(api: plans).update(plan) { Self.apply(status, releasing: releasing, to: &$0) }
        } catch is ConflictError {
            // An execution claimed or released the plan while the check ran: keep the check's
            // result, written over the plan as it is now.
            let current = try await plans.get(plan.name)
            _ = try await StatusPatcher(api: plans).update(current) { Self.apply(status, releasing: releasing, to: &$0) }
        }
        return next.map { .requeue(after: $0) } ?? .awaitChange
    }

    /// The reconciler's own fields of `ours` onto `plan`; the claim is let go only if the
    /// execution it released still holds it.
    private static func apply(_ ours: DRPlanStatus, releasing: String?, to plan: inout DRPlan) {
        var status = plan.status ?? DRPlanStatus()
        status.observedGeneration = ours.observedGeneration
        status.layerCount = ours.layerCount
        status.resourceCount = ours.resourceCount
        status.conditions = ours.conditions
        status.readiness = ours.readiness
        if let releasing, status.activeExecution == releasing { status.activeExecution = nil }
        plan.status = status
    }

    private func check(_ plan: DRPlan, into status: inout DRPlanStatus, conditions: inout [Condition], now: Timestamp) async {
        let generation = plan.metadata.generation
        let externalID: String?
        do {
            externalID = try await externalIDs.externalID(for: plan.spec, namespace: plan.namespace ?? "default")
        } catch {
            conditions.set("Ready", .unknown, reason: "ExternalIDUnavailable", message: "\(error)", observedGeneration: generation, now: now)
            await backoff.failed(plan)
            return
        }
        let executor = runtime.readinessExecutor(for: plan.key.description, roleName: plan.spec.accounts.roleName, externalID: externalID)
        // The executor and its AWS sessions live for this check only: nothing to release after it.
        let result = await slots.withPermit { await PlanReadiness(executor: executor).check(plan, now: now) }
        for entry in result.entries {
            if let module = result.modules[entry.name] { metrics.readinessCheck(module, result: entry.state.rawValue) }
        }
        if result.transientErrors > 0 {
            for _ in 0..<result.transientErrors { metrics.readinessError() }
            await backoff.failed(plan)
        } else {
            await backoff.succeeded(plan)
        }
        status.readiness = result.entries
        let notReady = result.entries.filter { $0.state == .notReady }
        let unknown = result.entries.filter { $0.state == .unknown }
        if !notReady.isEmpty {
            let listed = notReady.prefix(10).map { "\($0.name): \($0.message ?? "")" }.joined(separator: "; ")
            conditions.set("Ready", .false, reason: "NotReady", message: "\(notReady.count) of \(result.entries.count) resources not ready: \(listed)",
                           observedGeneration: generation, now: now)
        } else if !unknown.isEmpty {
            let listed = unknown.prefix(10).map { "\($0.name): \($0.message ?? "")" }.joined(separator: "; ")
            conditions.set("Ready", .unknown, reason: "ChecksFailing", message: "\(unknown.count) of \(result.entries.count) resources could not be checked: \(listed)",
                           observedGeneration: generation, now: now)
        } else {
            conditions.set("Ready", .true, reason: "Ready", message: "all \(result.entries.count) resources passed their preflight",
                           observedGeneration: generation, now: now)
        }
    }

    /// When the last check's results fall due again: the oldest `checkedAt` plus the jittered
    /// interval; nil when the plan was never checked.
    private func dueTime(of plan: DRPlan, interval: GoDuration) async -> Timestamp? {
        guard let last = plan.status?.readiness?.compactMap(\.checkedAt).min() else { return nil }
        return last.adding(Self.jittered(interval, plan: plan))
    }

    private func wait(for plan: DRPlan, interval: GoDuration) async -> Duration {
        let failures = await backoff.failures(of: plan)
        let wait = failures == 0 ? Self.jittered(interval, plan: plan)
            : min(interval, GoDuration.minutes(1 << Int64(min(failures - 1, 10))))
        return .milliseconds(wait.milliseconds)
    }

    /// The interval plus up to 10%, the same for a plan every time (from its uid).
    static func jittered(_ interval: GoDuration, plan: DRPlan) -> GoDuration {
        let seed = (plan.metadata.uid ?? plan.name).utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
        return GoDuration(milliseconds: interval.milliseconds + interval.milliseconds * Int64(seed % 1000) / 10000)
    }

    /// Whether the execution holding the plan is gone: asked of the server, not the cache, so a
    /// cache that has not seen a new execution yet never frees a plan that is in use.
    private func isGone(_ name: String, namespace: String?) async throws -> Bool {
        if await executions.get(ObjectKey(namespace: namespace, name: name)) != nil { return false }
        let api = client.api(DRExecution.self, LifeboatKinds.executions, namespace: namespace)
        return try await api.getIfExists(name) == nil
    }
}

/// Readiness checks that could not reach AWS, per plan, for the backoff.
actor PlanBackoff {
    private var failures: [String: Int] = [:]

    func failed(_ plan: DRPlan) { failures[key(plan), default: 0] += 1 }
    func succeeded(_ plan: DRPlan) { failures[key(plan)] = nil }
    func failures(of plan: DRPlan) -> Int { failures[key(plan)] ?? 0 }
    func forget(_ plan: DRPlan) { failures[key(plan)] = nil }

    private func key(_ plan: DRPlan) -> String { plan.metadata.uid ?? plan.key.description }
}
