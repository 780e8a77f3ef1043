import LifeboatAPI

extension DRExecutionSpec {
    /// Whether a resource of the plan takes part in this run at all: named by `resources` (when
    /// given) and running in this phase.
    public func includes(_ resource: Resource) -> Bool {
        if let selected = resources, !selected.contains(resource.name) { return false }
        return (resource.phases ?? ModuleCatalog.descriptor(for: resource.module).supportedPhases).contains(phase)
    }

    /// What this run does with a resource that takes part: a Recovery executes; a Drill does what
    /// the resource or its module's per-phase default says, and in Replicate only validates. The
    /// one place this rule lives: admission, and `drctl run`'s check that the modules a run will
    /// call are there, both ask it.
    public func action(for resource: Resource) -> DrillBehaviour {
        guard mode == .drill else { return .execute }
        let chosen = resource.drill ?? ModuleCatalog.descriptor(for: resource.module).drillDefault(for: phase)
        return phase == .replicate && chosen == .execute ? .validate : chosen
    }

    /// Whether this run calls the resource's module (to act, or to run its preflight).
    public func callsModule(of resource: Resource) -> Bool {
        includes(resource) && action(for: resource) != .skip
    }
}
