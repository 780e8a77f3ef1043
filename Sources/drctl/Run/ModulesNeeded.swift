import Engine
import LifeboatAPI

/// The refusal of a run that would call a module this build lacks (`ModuleRegistry.missing`),
/// naming each module and the resources that need it.
struct ModulesNeeded {
    let missing: [(module: ModuleName, resources: [String])]

    init(plan: DRPlanSpec, running spec: DRExecutionSpec, registry: ModuleRegistry) {
        missing = registry.missing(for: plan, running: spec)
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
