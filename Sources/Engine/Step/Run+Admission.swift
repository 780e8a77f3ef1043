import Digest
import LifeboatAPI
import YAML

extension Run {
    /// Before the first step of work: the plan must exist and be valid, the plan must be free,
    /// and the phase-order guard must agree. Then the plan is snapshotted and the run claims it.
    /// Returns whether the run has started.
    mutating func admit() -> Bool {
        status.observedGeneration = input.execution.metadata.generation
        guard let plan = input.plan else {
            stallOnce("PlanNotFound", "DRPlan \(spec.planRef.name) was not found in this namespace; create it or fix spec.planRef.name")
            recheckAfter = .seconds(30)
            return false
        }
        let problems = plan.validate().errors + selectionProblems(in: plan.spec)
        guard problems.isEmpty else {
            let listed = problems.prefix(10).map(\.description).joined(separator: "; ")
            let more = problems.count > 10 ? "; and \(problems.count - 10) more" : ""
            stallOnce("InvalidPlan", "DRPlan \(spec.planRef.name) is invalid: \(listed)\(more)", event: .invalidPlan)
            return false
        }
        if let holder = input.planState.activeExecution, holder != name {
            if status.conditions?[type: ConditionType.reconciling]?.reason != "PlanBusy" {
                emit(.normal, .planBusy, "DRPlan \(spec.planRef.name) is running execution \(holder); this one waits")
            }
            status.phase = .pending
            setPendingConditions(reason: "PlanBusy", message: "waiting for execution \(holder) of DRPlan \(spec.planRef.name) to finish (one active execution per plan)")
            recheckAfter = settings.planBusyRecheck
            return false
        }
        guard passesGuards() else { return false }

        let regions = ActingRegions(plan: plan.spec.regions, phase: spec.phase, direction: spec.direction, mode: spec.mode)
        status.plan = PlanSnapshot(name: spec.planRef.name, uid: plan.metadata.uid, generation: plan.metadata.generation,
                                   snapshotHash: Self.hash(of: plan.spec), snapshot: plan.spec)
        status.actingRegion = regions.acting
        status.peerRegion = regions.peer
        status.startTime = now
        status.layers = plan.spec.layers.map { layer in
            LayerStatus(name: layer.name, resources: layer.resources.map(initialStatus(of:)))
        }
        for index in status.layers!.indices where status.layers![index].resources.allSatisfy(\.state.isFinal) {
            status.layers![index].state = .skipped
        }
        status.phase = .running
        reindex()
        planUpdates.append(.claim(execution: name))
        emit(.normal, .executionStarted,
             "\(spec.mode) \(spec.phase) (\(spec.direction), \(spec.strategy)) of plan \(spec.planRef.name) in \(regions.acting)")
        return true
    }

    /// The resources `spec.resources` names must exist in the plan and act in this phase: a
    /// targeted run that would do nothing is a mistake to report, not a success to record.
    private func selectionProblems(in plan: DRPlanSpec) -> [ValidationProblem] {
        guard let selection = spec.resources, !selection.isEmpty else { return [] }
        let resources = Dictionary(plan.allResources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return selection.enumerated().compactMap { index, name in
            guard let resource = resources[name] else {
                return ValidationProblem("spec.resources" / index, "plan \(spec.planRef.name) has no resource \"\(name)\"")
            }
            let descriptor = ModuleCatalog.descriptor(for: resource.module)
            let phases = resource.phases ?? descriptor.supportedPhases
            if !phases.contains(spec.phase) {
                return ValidationProblem("spec.resources" / index,
                    "resource \(name) (\(resource.module)) does not run in phase \(spec.phase); it runs in \(phases.map(\.rawValue).joined(separator: ", "))",
                    hint: "leave it out of the selection")
            }
            if spec.action(for: resource) == .skip {
                return ValidationProblem("spec.resources" / index, "resource \(name) is skipped in drills (drill: Skip)",
                                         hint: "leave it out of the selection, or set its drill behaviour in the plan")
            }
            return nil
        }
    }

    private func initialStatus(of resource: Resource) -> ResourceStatus {
        let descriptor = ModuleCatalog.descriptor(for: resource.module)
        var entry = ResourceStatus(name: resource.name, module: resource.module)
        let action = spec.action(for: resource)
        entry.action = action
        if let selected = spec.resources, !selected.contains(resource.name) {
            entry.state = .skipped
            entry.message = "not selected by spec.resources"
        } else if !(resource.phases ?? descriptor.supportedPhases).contains(spec.phase) {
            entry.state = .skipped
            entry.message = "does not run in phase \(spec.phase)"
        } else if action == .skip {
            entry.state = .skipped
            entry.message = "drill: Skip"
        }
        return entry
    }

    /// API.md rule 2, plus the rule that a DR tool never fails over twice: a Recovery Activate
    /// towards the region already serving is refused. `override-guards` lets a person proceed;
    /// the reason is recorded in status. A drill that would act in the serving region is refused
    /// with no override: that is what a drill must never do.
    private mutating func passesGuards() -> Bool {
        if spec.mode == .drill {
            guard let refusal = drillRefusal() else { return true }
            stallOnce("GuardRefused", refusal, event: .guardRefused)
            return false
        }
        guard let refusal = guardRefusal() else { return true }
        if let reason = input.execution.metadata.annotation(LifeboatAnnotation.overrideGuards), !reason.isEmpty {
            status.guardOverride = GuardOverride(reason: reason, at: now)
            emit(.warning, .guardOverridden, "phase-order guard overridden: \(refusal) (reason given: \(reason))")
            return true
        }
        stallOnce("GuardRefused", "\(refusal); if you are sure, \(settings.approvalHint.overrideGuardsInstruction(execution: input.execution.metadata))",
                  event: .guardRefused)
        return false
    }

    private func drillRefusal() -> String? {
        guard let plan = input.plan else { return nil }
        let serving = ActingRegions.serving(plan.spec.regions, activeRegion: input.planState.activeRegion)
        let acting = ActingRegions(plan: plan.spec.regions, phase: spec.phase, direction: spec.direction, mode: .drill).acting
        guard acting == serving else { return nil }
        let since = input.planState.activeRegion == nil ? "(no Recovery Activate has moved it)" : "since the last Recovery Activate"
        let other: Direction = spec.direction == .failover ? .failback : .failover
        return "\(serving) serves plan \(spec.planRef.name) \(since), and a \(spec.direction) drill would act there; a drill acts only in the standby region: run a \(other) drill instead"
    }

    private func guardRefusal() -> String? {
        let history = input.planState.lastExecutions
        let activate = history.first { $0.phase == .activate && $0.mode == .recovery }
        let replicate = history.first { $0.phase == .replicate && $0.mode == .recovery }
        switch spec.phase {
        case .activate:
            guard let plan = input.plan, let serving = input.planState.activeRegion else { return nil }
            let target = ActingRegions(plan: plan.spec.regions, phase: .activate, direction: spec.direction, mode: .recovery).acting
            return serving == target ? "\(target) already serves plan \(spec.planRef.name): a second \(spec.direction) would fail over twice" : nil
        case .cleanup, .replicate:
            guard let activate, activate.result == .succeeded, activate.direction ?? .failover == spec.direction else {
                return "\(spec.phase) in Recovery needs a succeeded \(spec.direction) Activate first"
            }
            if let replicate, replicate.result == .succeeded, let done = replicate.completionTime,
               let activated = activate.completionTime, done > activated {
                return "the last \(spec.direction) Activate (\(activate.name)) was already followed by Replicate \(replicate.name)"
            }
            return nil
        case .instantiate:
            return nil
        }
    }

    /// Stalls with a reason; the Event is emitted only when the reason is new, so a run that
    /// stays stalled does not repeat itself on every step.
    mutating func stallOnce(_ reason: String, _ message: String, event: EngineEvent.Reason? = nil) {
        if let event, status.conditions?[type: ConditionType.stalled]?.reason != reason {
            emit(.warning, event, message)
        }
        stall = (reason, message)
        status.phase = .pending
        setPendingConditions(reason: reason, message: message)
    }

    /// SHA-256 of the snapshot's canonical JSON: the same plan always hashes the same.
    static func hash(of spec: DRPlanSpec) -> String? {
        guard let value = try? JSONValueEncoder().encode(spec) else { return nil }
        return "sha256:" + SHA256.hexHash(JSONWriter.canonical(value))
    }
}

/// Which region a phase acts in (API.md "Regions per phase"). A Recovery follows the phase: the
/// standby is made to serve, then the old primary is cleaned up. A Drill acts in the standby in
/// every phase and only reads the region that serves, so it never changes which region serves.
public struct ActingRegions: Sendable, Hashable {
    public let acting: String
    public let peer: String

    public init(plan regions: RegionPair, phase: Phase, direction: Direction, mode: ExecutionMode) {
        let (source, target) = direction == .failover ? (regions.primary, regions.secondary) : (regions.secondary, regions.primary)
        switch (mode, phase) {
        case (.drill, _), (.recovery, .instantiate), (.recovery, .activate), (.recovery, .replicate): (acting, peer) = (target, source)
        case (.recovery, .cleanup): (acting, peer) = (source, target)
        }
    }

    /// The region that serves the plan: the one its last counted Recovery Activate moved to, or
    /// the primary when none has.
    public static func serving(_ regions: RegionPair, activeRegion: String?) -> String {
        activeRegion ?? regions.primary
    }
}
