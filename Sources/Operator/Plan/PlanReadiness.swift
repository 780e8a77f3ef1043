import Engine
import LifeboatAPI

/// One readiness check of a plan: every resource's read-only `preflight`, in the phase it
/// would run next towards the standby (Activate for the resources that take part in it,
/// otherwise their first phase), with clients that can only read (`ModuleRuntime
/// .readinessExecutor`). The result is `status.readiness[]` and the `Ready` condition.
struct PlanReadiness: Sendable {
    let executor: EffectExecutor

    /// The order in which a resource's phase is chosen for its check.
    static let phaseOrder: [Phase] = [.activate, .instantiate, .replicate, .cleanup]

    struct Result: Sendable {
        var entries: [ResourceReadiness]
        /// Checks that could not reach AWS (throttling, 5xx, no network): the next check backs off.
        var transientErrors: Int
        /// Module names of the checked resources, for the metrics.
        var modules: [String: ModuleName]
    }

    func check(_ plan: DRPlan, now: Timestamp) async -> Result {
        let spec = plan.spec
        let serving = ActingRegions.serving(spec.regions, activeRegion: plan.status?.activeRegion)
        let direction: Direction = serving == spec.regions.primary ? .failover : .failback
        var byPhase: [Phase: [Resource]] = [:]
        for resource in spec.allResources {
            let phases = resource.phases ?? ModuleCatalog.descriptor(for: resource.module).supportedPhases
            guard let phase = Self.phaseOrder.first(where: phases.contains) else { continue }
            byPhase[phase, default: []].append(resource)
        }
        var observed: [String: Observation.Outcome] = [:]
        for phase in Self.phaseOrder {
            guard let resources = byPhase[phase] else { continue }
            let execution = Self.probe(of: plan, phase: phase, direction: direction, now: now)
            let effects = resources.map { Effect.preflight(resource: $0.name, attempt: 1) }
            for observation in await executor.run(effects, for: execution, status: execution.status!) {
                observed[observation.resource] = observation.outcome
            }
        }
        var result = Result(entries: [], transientErrors: 0, modules: [:])
        for resource in spec.allResources {
            guard let outcome = observed[resource.name] else { continue }
            result.modules[resource.name] = resource.module
            let (state, message): (ResourceReadiness.State, String) = switch outcome {
            case .preflighted(let report): (report.passed ? .ready : .notReady, report.summary)
            case .failed(let error) where error.kind == .transient: (.unknown, "could not check: \(error)")
            case .failed(let error): (.notReady, "\(error)")
            case .started, .checked: (.unknown, "unexpected answer to a preflight")
            }
            if state == .unknown { result.transientErrors += 1 }
            result.entries.append(ResourceReadiness(name: resource.name, state: state, message: String(message.prefix(1024)),
                                                    checkedAt: now))
        }
        return result
    }

    /// The execution a preflight sees: this phase, as a Recovery towards the standby, with the
    /// plan as its snapshot. It exists only in memory and is never written.
    static func probe(of plan: DRPlan, phase: Phase, direction: Direction, now: Timestamp) -> DRExecution {
        let regions = ActingRegions(plan: plan.spec.regions, phase: phase, direction: direction, mode: .recovery)
        var status = DRExecutionStatus()
        status.plan = PlanSnapshot(name: plan.name, uid: plan.metadata.uid, generation: plan.metadata.generation,
                                   snapshot: plan.spec)
        status.actingRegion = regions.acting
        status.peerRegion = regions.peer
        status.startTime = now
        var metadata = ObjectMeta(name: "readiness-\(plan.name)", namespace: plan.namespace)
        metadata.uid = "readiness-\(plan.metadata.uid ?? plan.name)"
        return DRExecution(metadata: metadata,
                           spec: DRExecutionSpec(planRef: PlanReference(name: plan.name), phase: phase, mode: .recovery,
                                                 direction: direction, strategy: .graceful),
                           status: status)
    }
}
