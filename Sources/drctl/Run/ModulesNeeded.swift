import Engine
import LifeboatAPI

/// The modules a run will really call: those of the resources that run in its phase and
/// selection. A resource left out by `--resources`, idle in the phase, or skipped in a drill
/// (`drill: Skip`) calls no module, so a plan naming a module this build lacks can still run its
/// other resources — which is what the refusal tells people to do.
///
/// Asks the engine's own rule (`DRExecutionSpec.callsModule(of:)`), so it cannot drift from
/// admission.
struct ModulesNeeded {
    let missing: [(module: ModuleName, resources: [String])]

    init(plan: DRPlanSpec, running spec: DRExecutionSpec, registry: ModuleRegistry) {
        var missing: [(module: ModuleName, resources: [String])] = []
        for resource in plan.allResources where spec.callsModule(of: resource) && registry[resource.module] == nil {
            if let index = missing.firstIndex(where: { $0.module == resource.module }) {
                missing[index].resources.append(resource.name)
            } else {
                missing.append((resource.module, [resource.name]))
            }
        }
        self.missing = missing
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
