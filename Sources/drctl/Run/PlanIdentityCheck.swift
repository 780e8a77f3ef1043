import LifeboatAPI
import LocalStore

/// Whether the plan given with `-f` is the plan whose runs the state directory holds
/// (PlanIdentity has the rule). Another plan is refused outright; the same plan with other
/// regions, accounts or resources only with `--accept-plan-change`. Both are usage errors
/// (status 2), like flags that contradict the directory's run.
enum PlanIdentityCheck {
    struct Verdict {
        /// The plan's identity (the plan lock is keyed by it).
        let plan: PlanIdentity
        /// Whether plan-identity.json is to be (re)written.
        let record: Bool
        /// What `--accept-plan-change` accepted.
        let changes: [String]?
    }

    static func identity(of plan: DRPlan, given: Bool, store: StateDirectory, acceptChange: Bool) throws -> Verdict {
        let identity = PlanIdentity(plan: plan)
        // Directories of older releases record no identity: their plan.yaml tells.
        let recorded = try store.readPlanIdentity() ?? (try PlanInput.stored(in: store)).map { PlanIdentity(plan: $0.plan) }
        guard given, let recorded else { return Verdict(plan: identity, record: given || recorded == nil, changes: nil) }
        let other = identity.otherPlan(than: recorded)
        guard other.isEmpty else {
            throw UsageError("""
                \(store.path) belongs to plan \(recorded.qualifiedName), not to plan \(identity.qualifiedName) \
                (\(other.joined(separator: "; "))): its runs and phase-order history are not this plan's; use another --state-dir \
                (the default for this plan is \(RunCommand.defaultDirectory(for: plan)))
                """)
        }
        let changes = identity.changes(since: recorded)
        guard changes.isEmpty || acceptChange else {
            throw UsageError("""
                the plan given differs from plan \(recorded.qualifiedName) whose runs this directory holds: \
                \(changes.joined(separator: "; ")). What a run acts on changed, so this directory's runs and phase-order \
                history may not apply to it: use another --state-dir, or --accept-plan-change if this is the same plan changed on purpose
                """)
        }
        return Verdict(plan: identity, record: true, changes: changes)
    }
}
