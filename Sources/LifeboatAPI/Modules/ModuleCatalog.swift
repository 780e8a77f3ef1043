/// Every module the operator knows, by name. The descriptors are the source of truth for
/// docs/modules.md (a test keeps the two in agreement).
public enum ModuleCatalog {
    public static func descriptor(for module: ModuleName) -> ModuleDescriptor {
        switch module {
        case .drs: DRSModule.descriptor
        case .auroraMySQL: AuroraMySQLModule.descriptor
        case .ecsService: EcsServiceModule.descriptor
        case .autoScaling: AutoScalingModule.descriptor
        case .r53Record: R53RecordModule.descriptor
        case .eventBridge: EventBridgeModule.descriptor
        case .lambdaFunction: LambdaFunctionModule.descriptor
        case .eventArchive: EventArchiveModule.descriptor
        case .elastiCache: ElastiCacheModule.descriptor
        case .memoryDB: MemoryDBModule.descriptor
        case .openSearchService: OpenSearchServiceModule.descriptor
        case .sqlServer: SQLServerModule.descriptor
        case .ec2: EC2Module.descriptor
        }
    }

    /// In `ModuleName.allCases` order.
    public static var all: [ModuleDescriptor] { ModuleName.allCases.map(descriptor(for:)) }
}
