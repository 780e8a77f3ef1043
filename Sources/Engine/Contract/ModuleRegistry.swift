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
}
