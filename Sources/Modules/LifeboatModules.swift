import Engine

/// The modules this build runs against AWS, wired to one client provider. The operator and
/// `drctl run` build their registry here.
public enum LifeboatModules {
    public static func all(clients: any AWSClientProvider) -> [any DRModule] {
        [
            DRSModule(clients: clients),
            AuroraMySQLModule(clients: clients),
            EcsServiceModule(clients: clients),
            AutoScalingModule(clients: clients),
            EC2Module(clients: clients),
            R53RecordModule(clients: clients),
            EventBridgeModule(clients: clients),
            EventArchiveModule(clients: clients),
            LambdaFunctionModule(clients: clients),
            OpenSearchServiceModule(clients: clients),
            SQLServerModule(clients: clients),
            MemoryDBModule(clients: clients),
            ElastiCacheModule(clients: clients),
        ]
    }

    public static func registry(clients: any AWSClientProvider) -> ModuleRegistry {
        ModuleRegistry(all(clients: clients))
    }
}
