import LifeboatAPI

/// Maps module names to implementations. Built once by whoever wires the process (the
/// operator, `drctl run`, a test); a module absent from it is reported before a run starts.
public struct ModuleRegistry: Sendable {
    private var modules: [ModuleName: any DRModule]

    public init(_ modules: [any DRModule] = []) {
        self.modules = Dictionary(modules.map { ($0.descriptor.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    public subscript(name: ModuleName) -> (any DRModule)? { modules[name] }

    public mutating func register(_ module: any DRModule) { modules[module.descriptor.name] = module }

    public var available: [ModuleName] { ModuleName.allCases.filter { modules[$0] != nil } }

    /// The modules a run would call that this registry lacks, each with the resources that
    /// need it, in plan order. Only resources the run calls a module for count
    /// (`DRExecutionSpec.callsModule(of:)`, the rule admission applies): one left out by the
    /// selection, idle in the phase or skipped in a drill needs none, so a plan naming a module
    /// this build lacks can still run its other resources.
    public func missing(for plan: DRPlanSpec, running spec: DRExecutionSpec) -> [(module: ModuleName, resources: [String])] {
        var missing: [(module: ModuleName, resources: [String])] = []
        for resource in plan.allResources where spec.callsModule(of: resource) && modules[resource.module] == nil {
            if let index = missing.firstIndex(where: { $0.module == resource.module }) {
                missing[index].resources.append(resource.name)
            } else {
                missing.append((resource.module, [resource.name]))
            }
        }
        return missing
    }
}
