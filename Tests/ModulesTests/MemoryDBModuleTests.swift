import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// MemoryDBModule against moto's MemoryDB with the emulator's restores that take time: a primary
/// cluster in us-east-1 and its configuration saved in us-west-2's SSM (as a failback's Cleanup
/// or the operator leaves it), made fresh per test. Only this suite calls MemoryDB, so its calls
/// are counted by service; SSM is shared, so what it writes there is judged by value and version.
@Suite(.serialized) struct MemoryDBModuleTests {
    let module: MemoryDBModule
    let cluster: String
    let configKey: String
    let endpointKey: String

    static let savedConfig = #"{"ACLName":"open-access","NodeType":"db.r6g.large","NumReplicasPerShard":1,"NumShards":2}"#

    init() async throws {
        try await Emulator.config(["memorydb": ["createSeconds": 0]])
        module = MemoryDBModule(clients: try Emulator.clients())
        cluster = Emulator.unique("sessions")
        configKey = "/dr/\(cluster)/config"
        endpointKey = "/dr/\(cluster)/endpoint"
        _ = try await Emulator.boto("""
            aws('memorydb', 'us-east-1').create_cluster(ClusterName='\(cluster)', NodeType='db.r6g.large', ACLName='open-access',
                NumShards=2, NumReplicasPerShard=1, Description='sessions')
            aws('ssm', 'us-west-2').put_parameter(Name='\(configKey)', Value='\(Self.savedConfig)', Type='String')
            """)
    }

    var parameters: JSONValue {
        ["ClusterName": .string(cluster), "ClusterConfigSSMKey": .string(configKey), "ClusterEndpointSSMKey": .string(endpointKey),
         "SnapshotArns": ["arn:aws:s3:::dr-backups/sessions/backup.rdb"], "Tags": ["Application": "payments"]]
    }

    func memoryDB(_ region: String) async throws -> MemoryDB { MemoryDB(try await Emulator.client(region: region)) }
    func ssm(_ region: String) async throws -> SSM { SSM(try await Emulator.client(region: region)) }

    func calls(_ operation: String, _ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["memorydb:\(operation)", default: 0]
    }

    @Test func activateRestoresWithTheSavedConfigurationWritesTheEndpointOnceAndARestartAdopts() async throws {
        try await Emulator.config(["memorydb": ["createSeconds": 60]])
        let context = Emulator.context(.activate, parameters: parameters)
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        #expect(first.message == "restoring \(cluster) in us-west-2 from 1 S3 .rdb file(s) with the configuration in \(configKey)")
        let creating = try await module.check(context, checkpoint: first.checkpoint)
        guard case .inProgress(let message, _, _) = creating else { Issue.record("\(creating)"); return }
        #expect(message == "\(cluster) is creating")
        #expect(try await module.start(context).message == "adopted \(cluster), already creating")
        try await Emulator.config(["memorydb": ["createSeconds": 0]])
        let result = try await Emulator.poll(module, context, first.checkpoint).result
        #expect(result.successMessage == "\(cluster) is available in us-west-2; its endpoint is in \(endpointKey)", "\(result)")
        #expect(try await calls("CreateCluster", before) == 1)

        let restored = try #require(try await memoryDB(Emulator.west).describeCluster(cluster))
        #expect(restored.raw["NodeType"] == "db.r6g.large" && restored.raw["NumberOfShards"] == 2)
        let tags = try await memoryDB(Emulator.west).tags(of: restored.arn)
        #expect(tags["Application"] == "payments" && tags["lifeboat.dev/resource"] == "res")
        let endpoint = try await ssm(Emulator.west).getParameter(endpointKey)
        #expect(endpoint.value == restored.endpoint && endpoint.value.hasPrefix("clustercfg.\(cluster)."))
        // Polled again (a restarted controller): the endpoint is not written a second time.
        #expect(try await module.check(context, checkpoint: first.checkpoint).isSucceeded)
        #expect(try await ssm(Emulator.west).getParameter(endpointKey).version == endpoint.version)
    }

    /// A drill never restores or deletes; its preflight still reads what each phase needs.
    @Test(arguments: [Phase.activate, .cleanup])
    func aDrillOnlyValidatesAndWritesNothing(phase: Phase) async throws {
        let context = Emulator.context(phase, mode: .drill, parameters: parameters)
        let before = try await Emulator.statsByRegion()
        let report = try await module.preflight(context)
        #expect(report.findings.first?.message.hasPrefix("a drill only validates MemoryDB") == true)
        let refused = await Emulator.error { try await module.start(context) }
        #expect(refused?.code == "DrillRefused" && refused?.kind == .permanent)
        for region in [Emulator.east, Emulator.west] {
            #expect(try await Emulator.mutatingCalls(in: region, since: before, services: ["memorydb"]).isEmpty)
        }
        #expect(try await memoryDB(Emulator.east).describeCluster(cluster)?.status == "available")
        #expect(try await ssm(Emulator.west).parameterIfPresent(endpointKey) == nil)
        #expect(try await ssm(Emulator.east).parameterIfPresent(configKey) == nil)
    }

    @Test func withoutASavedConfigurationActivateIsPermanentWithoutACreateAndPreflightBlocks() async throws {
        var parameters = parameters
        parameters["ClusterConfigSSMKey"] = .string("/dr/\(cluster)/never-saved")
        let context = Emulator.context(.activate, parameters: parameters)
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.code == "ClusterConfigNotFound" && error?.kind == .permanent, "\(String(describing: error))")
        let report = try await module.preflight(context)
        #expect(report.findings.contains { $0.severity == .blocking && $0.message == "nothing is saved in /dr/\(cluster)/never-saved in us-west-2: Activate has no configuration to restore with" })
        #expect(try await calls("CreateCluster", before) == 0)
    }

    @Test func aConfigurationNamingItsOwnClusterIsRefusedWithoutACreate() async throws {
        _ = try await Emulator.boto("""
            aws('ssm', 'us-west-2').put_parameter(Name='\(configKey)', Value='{"NodeType":"db.r6g.large","ACLName":"a","ClusterName":"x"}', Type='String', Overwrite=True)
            """)
        let context = Emulator.context(.activate, parameters: parameters)
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.code == "BadClusterConfig" && error?.message == "the MemoryDB configuration in SSM \(configKey) has fields Activate does not take: ClusterName")
        #expect(try await module.preflight(context).findings.contains { $0.severity == .blocking && $0.message == error?.message })
        #expect(try await calls("CreateCluster", before) == 0)
    }

    @Test func aMissingSnapshotBlocksPreflightAndTheCreateIsRefusedPermanently() async throws {
        var parameters = parameters
        parameters["SnapshotArns"] = nil
        parameters["SnapshotName"] = "never-taken"
        let context = Emulator.context(.activate, parameters: parameters)
        #expect(try await module.preflight(context).findings.contains { $0.severity == .blocking && $0.message == "snapshot never-taken does not exist in us-west-2: nothing to restore from" })
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.code == "SnapshotNotFoundFault" && error?.kind == .permanent, "\(String(describing: error))")
        #expect(try await memoryDB(Emulator.west).describeCluster(cluster) == nil)
    }

    @Test func aClusterThisResourceDidNotRestoreIsNotAdopted() async throws {
        _ = try await Emulator.boto("aws('memorydb', 'us-west-2').create_cluster(ClusterName='\(cluster)', NodeType='db.r6g.large', ACLName='open-access')")
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(Emulator.context(.activate, parameters: parameters)) }
        #expect(error?.code == "ClusterAlreadyExistsFault" && error?.kind == .permanent, "\(String(describing: error))")
        #expect(try await calls("CreateCluster", before) == 0)
    }

    @Test func aThrottledRestoreIsTransientAndRestoresOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: parameters)
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "memorydb", operation: "CreateCluster")
        #expect(try await calls("CreateCluster", before) == faulted + 1)
    }

    @Test func aFailedRestoreFailsTheCheck() async throws {
        try await Emulator.failure(["kind": "memorydb-create-failed", "ClusterName": cluster])
        let result = try await Emulator.run(module, Emulator.context(.activate, parameters: parameters)).result
        #expect(result.failure?.code == "RestoreFailed" && result.failure?.reason == "the restore of \(cluster) ended create-failed", "\(result)")
        #expect(try await ssm(Emulator.west).parameterIfPresent(endpointKey) == nil)
    }

    @Test func recoveryCleanupSavesTheConfigurationAndDeletesOnlyOnceTheRestoredClusterServes() async throws {
        let cleanup = Emulator.context(.cleanup, parameters: parameters)
        let early = await Emulator.error { try await module.start(cleanup) }
        #expect(early?.code == "NewPrimaryNotReady", "\(String(describing: early))")
        #expect(try await memoryDB(Emulator.east).describeCluster(cluster) != nil)

        #expect(try await Emulator.run(module, Emulator.context(.activate, parameters: parameters)).result.isSucceeded)
        let before = try await Emulator.stats()
        let (started, result, _) = try await Emulator.run(module, cleanup)
        #expect(started.message?.hasPrefix("saved the configuration of \(cluster) to \(configKey) and deleting it in us-east-1, keeping the final snapshot \(cluster)-lifeboat-") == true,
                "\(String(describing: started.message))")
        #expect(result.successMessage == "\(cluster) is deleted from us-east-1", "\(result)")
        #expect(try await module.start(cleanup).message == "\(cluster) is already gone from us-east-1")
        #expect(try await calls("DeleteCluster", before) == 1)

        // What was saved is CreateCluster's input for the same cluster: a failback restores it as it was.
        let saved = try await ssm(Emulator.east).getParameter(configKey)
        let config = try JSONParser.parse(saved.value)
        #expect(config["NodeType"] == "db.r6g.large" && config["ACLName"] == "open-access" && config["NumShards"] == 2
                && config["NumReplicasPerShard"] == 1 && config["Description"] == "sessions" && config["ClusterName"] == nil, "\(config)")
        let snapshots = try await Emulator.boto("out = [s['Name'] for s in aws('memorydb', 'us-east-1').describe_snapshots(ClusterName='\(cluster)')['Snapshots']]") as? [String]
        #expect(snapshots?.contains { $0.hasPrefix("\(cluster)-lifeboat-") } == true, "\(String(describing: snapshots))")
    }

    @Test func ungracefulCleanupNeverCallsThePeerRegion() async throws {
        let cleanup = Emulator.context(.cleanup, strategy: .ungraceful, parameters: parameters)
        let before = try await Emulator.statsByRegion()
        #expect(try await Emulator.run(module, cleanup).result.successMessage == "\(cluster) is deleted from us-east-1")
        let west = Emulator.delta(before[Emulator.west] ?? [:], try await Emulator.statsByRegion()[Emulator.west] ?? [:])
        #expect(west.keys.filter { $0.hasPrefix("memorydb:") }.isEmpty, "\(west)")
    }
}
