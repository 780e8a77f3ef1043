import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// AuroraMySQLModule against the emulator's Aurora global database. Every test starts from the
/// seeded topology (writer in us-east-1, headless secondary in us-west-2): a test that moved the
/// writer leaves it for the next one to switch back before it looks at the call counts.
extension RDSModuleSuites {
@Suite(.serialized) struct AuroraMySQLModuleTests {
    let module: AuroraMySQLModule
    let app: App

    static let mutating = ["rds:CreateDBInstance", "rds:DeleteDBInstance", "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster"]

    init() async throws {
        app = try await Emulator.app("aurora")
        module = AuroraMySQLModule(clients: try Emulator.clients())
        try await writer(in: Emulator.east)
    }

    func rds(_ region: String) async throws -> RDS { RDS(try await Emulator.client(region: region)) }

    /// Moves the writer to `region` (directly, not through the module) and waits for it.
    func writer(in region: String) async throws {
        let api = try await rds(region)
        let target = app.clusterArn(region)
        guard try await api.describeGlobalCluster(app.globalCluster)?.writer?.clusterARN != target else { return }
        _ = try await api.switchoverGlobalCluster(app.globalCluster, targetClusterARN: target)
        let moved = try await eventually(within: 20) {
            let global = try await api.describeGlobalCluster(app.globalCluster)
            return global?.writer?.clusterARN == target && global?.failoverState == nil && global?.status == "available"
        }
        #expect(moved)
    }

    func mutatingCalls(_ before: [String: Int]) async throws -> [String: Int] {
        Emulator.delta(before, try await Emulator.stats()).filter { Self.mutating.contains($0.key) }
    }

    func parameters(instances: [String]? = nil, extra: JSONObject = [:]) -> JSONValue {
        var object: JSONObject = ["GlobalClusterIdentifier": .string(app.globalCluster), "DBClusterIdentifier": .string(app.dbCluster),
                                  "DBInstanceIdentifier": .array((instances ?? [app.dbInstance]).map { .string($0) })]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    // MARK: Instantiate

    @Test func instantiateCreatesTheReadersOnce() async throws {
        let name = Emulator.unique("\(app.prefix)reader")
        let context = Emulator.context(.instantiate, parameters: parameters(instances: [name], extra: ["DBInstanceClass": "db.r6g.large"]))
        #expect(try await module.preflight(context).passed)
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        let second = try await module.start(context)  // a restart: the instance exists
        #expect(second.message?.contains("already exists") == true)
        let (result, _) = try await Emulator.poll(module, context, first.checkpoint)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["rds:CreateDBInstance": 1])
        let instance = try await rds(Emulator.west).describeDBInstance(name)
        #expect(instance?.clusterIdentifier == app.dbCluster)
        #expect(instance?.instanceClass == "db.r6g.large")
    }

    @Test func unknownClusterIsPermanentWithoutMutatingCalls() async throws {
        let before = try await Emulator.stats()
        var object = parameters().objectValue!
        object["DBClusterIdentifier"] = "no-such-cluster"
        let context = Emulator.context(.instantiate, parameters: .object(object))
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "DBClusterNotFoundFault")
        object["DBClusterIdentifier"] = .string(app.dbCluster)
        object["GlobalClusterIdentifier"] = "no-such-global"
        let global = await Emulator.error { try await module.preflight(Emulator.context(.activate, parameters: .object(object))) }
        #expect(global?.code == "GlobalClusterNotFoundFault")
        #expect(global?.kind == .permanent)
        #expect(try await mutatingCalls(before).isEmpty)
    }

    @Test func replicateIsNotAnAuroraPhase() async throws {
        let error = await Emulator.error { try await module.start(Emulator.context(.replicate, parameters: parameters())) }
        #expect(error?.code == "PhaseNotSupported")
        #expect(error?.kind == .permanent)
    }

    // MARK: Activate

    @Test func gracefulRecoveryActivateSwitchesOver() async throws {
        let context = Emulator.context(.activate, mode: .recovery, strategy: .graceful, parameters: parameters())
        let report = try await module.preflight(context)
        #expect(report.passed)
        #expect(report.findings.contains { $0.message.contains("would switch over") })
        let before = try await Emulator.stats()
        let (started, result, _) = try await Emulator.run(module, context)
        #expect(started.message?.contains("no data loss") == true)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["rds:SwitchoverGlobalCluster": 1])
        #expect(try await rds(Emulator.west).describeGlobalCluster(app.globalCluster)?.writer?.clusterARN == app.clusterArn(Emulator.west))
    }

    @Test func ungracefulRecoveryFailsOverAllowingDataLoss() async throws {
        try await Emulator.config(["aurora": ["failoverSeconds": 30]])
        let context = Emulator.context(.activate, mode: .recovery, strategy: .ungraceful, parameters: parameters())
        let before = try await Emulator.stats()
        let started = try await module.start(context)
        #expect(started.message?.contains("are lost") == true)
        // While it runs, RDS shows a failover that allows data loss towards us-west-2. (Read
        // before the delay drops to 0, so a slow machine cannot let it end first.)
        let state = try await rds(Emulator.west).describeGlobalCluster(app.globalCluster)?.failoverState
        try await Emulator.config(["aurora": ["failoverSeconds": 0]])
        #expect(state?.isDataLossAllowed == true)
        #expect(state?.toClusterARN == app.clusterArn(Emulator.west))
        let (result, _) = try await Emulator.poll(module, context, started.checkpoint)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["rds:FailoverGlobalCluster": 1])
        #expect(try await rds(Emulator.west).describeGlobalCluster(app.globalCluster)?.writer?.clusterARN == app.clusterArn(Emulator.west))
    }

    /// A drill never changes which region serves: its Activate only validates (the engine runs
    /// the preflight), and a `drill: Execute` that reaches `start` is refused without a call.
    @Test(arguments: [Strategy.graceful, .ungraceful])
    func aDrillNeverSwitchesOver(strategy: Strategy) async throws {
        let before = try await Emulator.stats()
        let drill = Emulator.context(.activate, mode: .drill, strategy: strategy, parameters: parameters())
        let report = try await module.preflight(drill)
        #expect(report.passed)
        let verb = strategy == .graceful ? "switch over" : "fail over (allowing data loss)"
        #expect(report.findings.contains { $0.message == "a Recovery Activate would \(verb) to \(app.clusterArn(Emulator.west)); a drill only checks it" })
        let refused = await Emulator.error { try await module.start(drill) }
        #expect(refused?.kind == .permanent)
        #expect(refused?.code == "DrillRefused")
        #expect(try await mutatingCalls(before).isEmpty)
        #expect(try await rds(Emulator.west).describeGlobalCluster(app.globalCluster)?.writer?.clusterARN == app.clusterArn(Emulator.east))
    }

    @Test func pinnedSwitchoverRefusesDataLoss() async throws {
        let before = try await Emulator.stats()
        let pinned = parameters(extra: ["FailoverType": "Switchover"])
        let pinnedRecovery = Emulator.context(.activate, mode: .recovery, strategy: .ungraceful, parameters: pinned)
        let pinnedError = await Emulator.error { try await module.start(pinnedRecovery) }
        #expect(pinnedError?.kind == .permanent)
        #expect(pinnedError?.code == "DataLossRefused")
        #expect(pinnedError?.message.contains("FailoverType: Switchover") == true)
        #expect(try await mutatingCalls(before).isEmpty)

        // Pinned and Graceful: the switchover it allows.
        let graceful = Emulator.context(.activate, mode: .recovery, strategy: .graceful, parameters: pinned)
        #expect(try await Emulator.run(module, graceful).result.isSucceeded)
        #expect(try await mutatingCalls(before) == ["rds:SwitchoverGlobalCluster": 1])
    }

    @Test func startTwiceAdoptsTheSwitchoverUnderWay() async throws {
        try await Emulator.config(["aurora": ["switchoverSeconds": 30]])
        let context = Emulator.context(.activate, mode: .recovery, parameters: parameters())
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        let second = try await module.start(context)
        try await Emulator.config(["aurora": ["switchoverSeconds": 0]])
        #expect(second.message?.contains("adopted") == true, "\(second.message ?? "")")
        #expect(first.checkpoint == second.checkpoint)
        let (result, _) = try await Emulator.poll(module, context, second.checkpoint)
        #expect(result.isSucceeded, "\(result)")
        // Once done, a third start finds the acting region already the writer.
        #expect(try await module.start(context).message?.contains("already the writer") == true)
        #expect(try await mutatingCalls(before) == ["rds:SwitchoverGlobalCluster": 1])
    }

    @Test func throttledSwitchoverIsTransientAndHappensOnceOnRetry() async throws {
        let context = Emulator.context(.activate, mode: .recovery, parameters: parameters())
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "rds", operation: "SwitchoverGlobalCluster")
        #expect(try await mutatingCalls(before) == ["rds:SwitchoverGlobalCluster": faulted + 1])
    }

    @Test func switchoverThatEndsWithoutMovingTheWriterFailsTheCheck() async throws {
        try await Emulator.failure(["kind": "aurora-failover-error", "globalClusterIdentifier": app.globalCluster,
                                    "operation": "SwitchoverGlobalCluster", "mode": "fail"])
        let context = Emulator.context(.activate, mode: .recovery, parameters: parameters())
        let (_, result, _) = try await Emulator.run(module, context)
        let failure = try #require(result.failure, "\(result)")
        #expect(failure.code == "GlobalClusterFailoverFailed")
        #expect(failure.reason.contains("us-east-1 still the writer"))
    }

    // MARK: Cleanup

    @Test func cleanupIsRefusedWhileTheOldPrimaryIsStillTheWriter() async throws {
        let before = try await Emulator.stats()
        let context = Emulator.context(.cleanup, parameters: parameters())
        let report = try await module.preflight(context)
        #expect(report.findings.contains { $0.severity == .blocking && $0.message.contains("still the global writer") })
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "InvalidGlobalClusterStateFault")
        #expect(try await mutatingCalls(before).isEmpty)
        #expect(try await rds(Emulator.east).describeDBInstance(app.dbInstance) != nil)
    }

    @Test func recoveryCleanupDeletesTheOldPrimarysInstancesAfterActivate() async throws {
        let mode = ExecutionMode.recovery
        let name = Emulator.unique("\(app.prefix)old")
        _ = try await Emulator.boto("""
            aws('rds', 'us-east-1').create_db_instance(DBInstanceIdentifier='\(name)', DBClusterIdentifier='\(app.dbCluster)', DBInstanceClass='db.r6g.large', Engine='aurora-mysql')
            """)
        try await writer(in: Emulator.west)
        let context = Emulator.context(.cleanup, mode: mode, parameters: parameters(instances: [name]))
        #expect(try await module.preflight(context).passed)
        let before = try await Emulator.stats()
        let (_, result, _) = try await Emulator.run(module, context)
        _ = try await module.start(context)   // again: nothing left to delete
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["rds:DeleteDBInstance": 1])
        #expect(try await rds(Emulator.east).describeDBInstance(name) == nil)
    }

    /// Issue 11: a drill's Instantiate creates the standby's readers and marks them; its Cleanup
    /// deletes exactly those (a reader that existed before the drill stays); the serving region
    /// is never written and keeps the writer.
    @Test func aDrillDeletesOnlyTheReadersItCreatedAndNeverTouchesTheServingRegion() async throws {
        let existing = Emulator.unique("\(app.prefix)kept"), drilled = Emulator.unique("\(app.prefix)drill")
        _ = try await Emulator.boto("""
            aws('rds', 'us-west-2').create_db_instance(DBInstanceIdentifier='\(existing)', DBClusterIdentifier='\(app.dbCluster)', DBInstanceClass='db.r6g.large', Engine='aurora-mysql')
            """)
        let before = try await Emulator.statsByRegion()
        let counted = try await Emulator.stats()
        let servingInstance = try await rds(Emulator.east).describeDBInstance(app.dbInstance)
        let readers = parameters(instances: [existing, drilled])

        #expect(try await Emulator.run(module, Emulator.context(.instantiate, mode: .drill, parameters: readers)).result.isSucceeded)
        #expect(try await rds(Emulator.west).describeDBInstance(drilled)?.tags["lifeboat.dev/drill-undo"] == "plan=plan created=true")
        #expect(try await rds(Emulator.west).describeDBInstance(existing)?.tags["lifeboat.dev/drill-undo"] == nil)

        let cleanup = Emulator.context(.cleanup, mode: .drill, parameters: readers)
        #expect(try await module.preflight(cleanup).passed)
        let (started, result, _) = try await Emulator.run(module, cleanup)
        #expect(started.message == "deleting \(drilled) in \(app.dbCluster), us-west-2")
        #expect(result.isSucceeded, "\(result)")
        #expect(try await rds(Emulator.west).describeDBInstance(drilled) == nil)
        #expect(try await rds(Emulator.west).describeDBInstance(existing) != nil)
        #expect(try await mutatingCalls(counted) == ["rds:CreateDBInstance": 1, "rds:DeleteDBInstance": 1])

        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["rds"]).isEmpty)
        #expect(try await rds(Emulator.east).describeDBInstance(app.dbInstance) == servingInstance)
        #expect(try await rds(Emulator.east).describeGlobalCluster(app.globalCluster)?.writer?.clusterARN == app.clusterArn(Emulator.east))
    }

    @Test func aReaderThatEndsInAFailedStateFailsTheCheck() async throws {
        let name = Emulator.unique("\(app.prefix)reader")
        let context = Emulator.context(.instantiate, parameters: parameters(instances: [name]))
        let started = try await module.start(context)
        _ = try await Emulator.control("POST", "/__emulator__/states/rds-instance",
                                       body: ["account": Emulator.account, "region": Emulator.west, "DBInstanceIdentifier": name, "status": "storage-full"])
        let result = try await module.check(context, checkpoint: started.checkpoint)
        guard case .failed(let reason, let code) = result else { Issue.record("\(result)"); return }
        #expect(code == "InstanceFailed")
        #expect(reason.contains(name) && reason.contains("storage-full"))
    }
}
}
