import Engine
import LifeboatAPI

/// The modules a run will really call: those of the resources that run in its phase and
/// selection. A resource left out by `--resources`, idle in the phase, or skipped in a drill
/// (`drill: Skip`) calls no module, so a plan naming a module this build lacks can still run its
/// other resources — which is what the refusal tells people to do.
///
/// Mirrors the engine's admission (which resources start Skipped); `drill: Skip` counts only
/// when the resource says it, so a change of a module's drill default can only make this
/// stricter, never let a run reach a module that is missing.
struct ModulesNeeded {
    let missing: [(module: ModuleName, resources: [String])]

    init(plan: DRPlanSpec, running spec: DRExecutionSpec, registry: ModuleRegistry) {
        var missing: [(module: ModuleName, resources: [String])] = []
        for resource in plan.allResources where Self.runs(resource, spec) && registry[resource.module] == nil {
            if let index = missing.firstIndex(where: { $0.module == resource.module }) {
                missing[index].resources.append(resource.name)
            } else {
                missing.append((resource.module, [resource.name]))
            }
        }
        self.missing = missing
    }

    static func runs(_ resource: Resource, _ spec: DRExecutionSpec) -> Bool {
        if let selected = spec.resources, !selected.contains(resource.name) { return false }
        let phases = resource.phases ?? ModuleCatalog.descriptor(for: resource.module).supportedPhases
        guard phases.contains(spec.phase) else { return false }
        return !(spec.mode == .drill && resource.drill == .skip)
    }

    /// The refusal, naming each missing module and the resources that need it.
    func refusal(available: [ModuleName], phase: Phase) -> String? {
        guard !missing.isEmpty else { return nil }
        let modules = missing.map(\.module.rawValue).joined(separator: ", ")
        let resources = missing.flatMap(\.resources)
        return "\(missing.count == 1 ? "module \(modules) is" : "modules \(modules) are") not available in this build "
            + "(it runs \(available.map(\.rawValue).joined(separator: ", "))), needed by resource\(resources.count == 1 ? "" : "s") "
            + "\(resources.joined(separator: ", ")) in phase \(phase); use --resources to run the others, "
            + "or --simulate for a rehearsal with simulated modules"
    }
}
