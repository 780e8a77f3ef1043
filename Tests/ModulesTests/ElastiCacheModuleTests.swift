import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// ElastiCacheModule against the emulator's global datastores (moto lacks them): a primary in
/// us-east-1 and a secondary in us-west-2 of a datastore made fresh per test. Only this suite calls
/// ElastiCache, so its calls are counted by service.
@Suite(.serialized) struct ElastiCacheModuleTests {
    let module: ElastiCacheModule
    let east: String
    let west: String
    let datastore: String
    let subnets: String

    init() async throws {
        try await Emulator.config(["elasticache": ["globalCreateSeconds": 0, "memberCreateSeconds": 0, "failoverSeconds": 0,
                                                   "disassociateSeconds": 0, "deleteSeconds": 0]])
        module = ElastiCacheModule(clients: try Emulator.clients())
        let name = Emulator.unique("orders")
        east = "\(name)-east"
        west = "\(name)-west"
        subnets = "\(name)-subnets"
        datastore = try await Emulator.boto("""
            for region in ('us-east-1', 'us-west-2'):
                aws('elasticache', region).create_cache_subnet_group(CacheSubnetGroupName='\(subnets)', CacheSubnetGroupDescription='d', SubnetIds=['subnet-1'])
            aws('elasticache', 'us-east-1').create_replication_group(ReplicationGroupId='\(east)', ReplicationGroupDescription='orders',
                CacheNodeType='cache.r6g.large', Engine='redis', NumCacheClusters=2)
            out = aws('elasticache', 'us-east-1').create_global_replication_group(GlobalReplicationGroupIdSuffix='\(name)',
                PrimaryReplicationGroupId='\(east)')['GlobalReplicationGroup']['GlobalReplicationGroupId']
            aws('elasticache', 'us-west-2').create_replication_group(ReplicationGroupId='\(west)', ReplicationGroupDescription='orders',
                GlobalReplicationGroupId=out, CacheSubnetGroupName='\(subnets)')
            """) as? String ?? ""
    }

    func parameters(deleteOldPrimary: Bool = true) -> JSONValue {
        ["GlobalReplicationGroupId": .string(datastore), "ReplicationGroupId": .string(west), "DeleteOldPrimary": .bool(deleteOldPrimary),
         "SubnetGroup": .string(subnets)]
    }

    func api(_ region: String) async throws -> ElastiCache { ElastiCache(try await Emulator.client(region: region)) }

    func roles() async throws -> [String: String] {
        let found = try #require(try await api(Emulator.west).globalDatastore(datastore))
        return Dictionary(uniqueKeysWithValues: found.members.map { ("\($0.replicationGroupId)@\($0.region)", $0.role) })
    }

    func calls(_ operation: String, _ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["elasticache:\(operation)", default: 0]
    }

    @Test func gracefulActivateFailsOverOnceAndARestartAdoptsTheFailoverUnderWay() async throws {
        try await Emulator.config(["elasticache": ["failoverSeconds": 60]])
        let context = Emulator.context(.activate, parameters: parameters())
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        #expect(first.message == "failing \(datastore) over to \(west) in us-west-2 (planned)")
        let modifying = try await module.check(context, checkpoint: first.checkpoint)
        guard case .inProgress(let message, _, _) = modifying else { Issue.record("\(modifying)"); return }
        #expect(message == "\(datastore) is modifying; \(west) is secondary, associated")
        #expect(try await module.start(context).message == "adopted the change of \(datastore) under way")
        try await Emulator.config(["elasticache": ["failoverSeconds": 0]])
        let result = try await Emulator.poll(module, context, first.checkpoint).result
        #expect(result.successMessage == "\(west) is the primary of \(datastore) in us-west-2", "\(result)")
        #expect(try await module.start(context).message == "\(west) is already the primary of \(datastore)")
        #expect(try await calls("FailoverGlobalReplicationGroup", before) == 1)
        #expect(try await roles() == ["\(east)@us-east-1": "SECONDARY", "\(west)@us-west-2": "PRIMARY"])
    }

    @Test func ungracefulActivateTakesTheMemberOutWithoutCallingTheOldPrimaryRegion() async throws {
        let context = Emulator.context(.activate, strategy: .ungraceful, parameters: parameters())
        let before = try await Emulator.statsByRegion()
        let (started, result, _) = try await Emulator.run(module, context)
        #expect(started.message == "taking \(west) out of \(datastore) to write alone in us-west-2 (Ungraceful: unreplicated writes are lost)")
        #expect(result.successMessage == "\(west) writes alone in us-west-2, out of \(datastore)", "\(result)")
        #expect(try await module.start(context).message == "adopted \(west), already out of \(datastore) (available)")
        let eastCalls = Emulator.delta(before[Emulator.east] ?? [:], try await Emulator.statsByRegion()[Emulator.east] ?? [:])
        #expect(eastCalls.keys.filter { $0.hasPrefix("elasticache:") }.isEmpty, "\(eastCalls)")
        #expect(try await Emulator.mutatingCalls(in: Emulator.west, since: before, services: ["elasticache"]) == ["elasticache:DisassociateGlobalReplicationGroup": 1])
    }

    /// A drill never fails over, deletes or joins; its preflight still reads what each phase needs,
    /// and passes where the drill leaves things as they are: Drill Replicate does not block on the
    /// standby's member being a secondary (only a recovery's Activate promotes it).
    @Test(arguments: [Phase.activate, .cleanup, .replicate])
    func aDrillOnlyValidates(phase: Phase) async throws {
        let context = Emulator.context(phase, mode: .drill, parameters: parameters())
        let before = try await Emulator.statsByRegion()
        let report = try await module.preflight(context)
        #expect(report.findings.first?.message.hasPrefix("a drill only validates ElastiCache") == true)
        #expect(report.passed, "\(report.findings)")
        if phase == .replicate {
            #expect(report.findings.contains { $0.message.hasPrefix("\(west) in us-west-2 is a secondary of \(datastore); once a recovery's Activate has made it the primary") })
            // A recovery's Replicate still blocks while the primary is elsewhere, and a drill blocks on a member that is not this resource's.
            let recovery = try await module.preflight(Emulator.context(.replicate, mode: .recovery, parameters: parameters()))
            #expect(recovery.findings.contains { $0.severity == .blocking && $0.message.hasPrefix("the primary of \(datastore) is not in us-west-2") })
            var other = parameters()
            other["ReplicationGroupId"] = "not-a-member"
            let wrong = try await module.preflight(Emulator.context(.replicate, mode: .drill, parameters: other))
            #expect(wrong.findings.contains { $0.severity == .blocking && $0.message == "not-a-member is not the member of \(datastore) in us-west-2 (its member there is \(west))" })
        }
        let refused = await Emulator.error { try await module.start(context) }
        #expect(refused?.code == "DrillRefused" && refused?.kind == .permanent)
        for region in [Emulator.east, Emulator.west] {
            #expect(try await Emulator.mutatingCalls(in: region, since: before, services: ["elasticache"]).isEmpty)
        }
        #expect(try await roles() == ["\(east)@us-east-1": "PRIMARY", "\(west)@us-west-2": "SECONDARY"])
    }

    @Test func aGroupThatIsNotTheMemberIsPermanentWithoutAFailoverAndPreflightBlocks() async throws {
        var parameters = parameters()
        parameters["ReplicationGroupId"] = "not-a-member"
        let context = Emulator.context(.activate, parameters: parameters)
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.code == "NotAMember" && error?.kind == .permanent, "\(String(describing: error))")
        #expect(try await module.preflight(context).findings.contains {
            $0.severity == .blocking && $0.message == "not-a-member is not the member of \(datastore) in us-west-2 (its member there is \(west))"
        })
        #expect(try await calls("FailoverGlobalReplicationGroup", before) == 0)
    }

    @Test func aThrottledFailoverIsTransientAndFailsOverOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: parameters())
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "elasticache", operation: "FailoverGlobalReplicationGroup")
        #expect(try await calls("FailoverGlobalReplicationGroup", before) == faulted + 1)
    }

    @Test func aFailedFailoverFailsTheCheck() async throws {
        try await Emulator.failure(["kind": "elasticache-failover-failed", "GlobalReplicationGroupId": datastore])
        let result = try await Emulator.run(module, Emulator.context(.activate, parameters: parameters())).result
        #expect(result.failure?.code == "FailoverFailed" && result.failure?.reason == "\(datastore) is failed", "\(result)")
    }

    @Test func cleanupBeforeActivateKeepsThePrimaryAndWithoutDeleteOldPrimaryDoesNothing() async throws {
        let before = try await Emulator.statsByRegion()
        let early = await Emulator.error { try await module.start(Emulator.context(.cleanup, parameters: parameters())) }
        #expect(early?.code == "OldPrimaryStillPrimary" && early?.kind == .permanent, "\(String(describing: early))")
        let (started, result, _) = try await Emulator.run(module, Emulator.context(.cleanup, parameters: parameters(deleteOldPrimary: false)))
        #expect(started.message == "DeleteOldPrimary is false: the old primary stays a secondary of \(datastore)")
        #expect(result.isSucceeded)
        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["elasticache"]).isEmpty)
    }

    @Test func recoveryCleanupRemovesAndDeletesTheOldPrimaryOnceAcrossRestarts() async throws {
        #expect(try await Emulator.run(module, Emulator.context(.activate, parameters: parameters())).result.isSucceeded)
        try await Emulator.config(["elasticache": ["disassociateSeconds": 60, "deleteSeconds": 60]])
        let cleanup = Emulator.context(.cleanup, parameters: parameters())
        let before = try await Emulator.stats()
        let first = try await module.start(cleanup)
        #expect(first.message == "taking \(east) out of \(datastore), then deleting it in us-east-1")
        #expect(try await module.start(cleanup).message == "adopted the removal of \(east) under way")
        try await Emulator.config(["elasticache": ["disassociateSeconds": 0]])
        // Restarted once it has left the datastore: found again by its tag.
        #expect(try await module.start(cleanup).message == "adopted the removal of \(east), already out of \(datastore) (available)")
        let deleting = try await module.check(cleanup, checkpoint: first.checkpoint)
        guard case .inProgress(let message, _, _) = deleting else { Issue.record("\(deleting)"); return }
        #expect(message == "deleting \(east)")
        try await Emulator.config(["elasticache": ["deleteSeconds": 0]])
        let result = try await Emulator.poll(module, cleanup, first.checkpoint).result
        #expect(result.successMessage == "\(east) is deleted from us-east-1", "\(result)")
        #expect(try await module.start(cleanup).message == "\(datastore) has no member in us-east-1: nothing to delete")
        #expect(try await calls("DisassociateGlobalReplicationGroup", before) == 1)
        #expect(try await calls("DeleteReplicationGroup", before) == 1)
        #expect(try await roles() == ["\(west)@us-west-2": "PRIMARY"])
    }

    @Test func replicateJoinsAMemberInThePeerRegionOnceAndUngracefulRefuses() async throws {
        #expect(try await Emulator.run(module, Emulator.context(.activate, parameters: parameters())).result.isSucceeded)
        #expect(try await Emulator.run(module, Emulator.context(.cleanup, parameters: parameters())).result.isSucceeded)
        let replicate = Emulator.context(.replicate, parameters: parameters())
        #expect(replicate.actingRegion == Emulator.west && replicate.peerRegion == Emulator.east)
        let before = try await Emulator.stats()
        let (started, result, _) = try await Emulator.run(module, replicate)
        #expect(started.message == "creating \(west) in us-east-1, joined to \(datastore) in subnet group \(subnets)")
        #expect(result.successMessage == "\(west) in us-east-1 replicates from \(datastore)", "\(result)")
        #expect(try await module.start(replicate).message == "adopted \(west) in us-east-1, already available")
        #expect(try await calls("CreateReplicationGroup", before) == 1)
        #expect(try await roles() == ["\(west)@us-west-2": "PRIMARY", "\(west)@us-east-1": "SECONDARY"])
        let tags = try await api(Emulator.east).tags(of: try #require(try await api(Emulator.east).replicationGroup(west)?.arn))
        #expect(tags["lifeboat.dev/resource"] == "res")

        let ungraceful = Emulator.context(.replicate, strategy: .ungraceful, parameters: parameters())
        #expect(await Emulator.error { try await module.start(ungraceful) }?.code == "PeerRegionNeeded")
    }

    @Test func aMemberThatFailsToCreateFailsReplicate() async throws {
        #expect(try await Emulator.run(module, Emulator.context(.activate, parameters: parameters())).result.isSucceeded)
        #expect(try await Emulator.run(module, Emulator.context(.cleanup, parameters: parameters())).result.isSucceeded)
        try await Emulator.failure(["kind": "elasticache-member-create-failed", "ReplicationGroupId": west])
        let result = try await Emulator.run(module, Emulator.context(.replicate, parameters: parameters())).result
        #expect(result.failure?.code == "CreateFailed" && result.failure?.reason == "\(west) in us-east-1 is create-failed", "\(result)")
    }
}
