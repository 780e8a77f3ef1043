import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// SQLServerModule against moto's RDS with the emulator's cross-region backup replication and
/// restore: a SQL Server primary in us-east-1 whose automated backups replicate to us-west-2,
/// made fresh per test. The Aurora suite shares RDS, so calls are counted by the operations only
/// this module makes (RestoreDBInstanceToPointInTime, StartDBInstanceAutomatedBackupsReplication).
extension RDSModuleSuites {
@Suite(.serialized) struct SQLServerModuleTests {
    let module: SQLServerModule
    let source: String
    let target: String

    init() async throws {
        // This service's delays at zero (an operation moves on at the next request) unless a test says otherwise.
        try await Emulator.config(["rds": ["replicationSeconds": 0, "restoreSeconds": 0]])
        module = SQLServerModule(clients: try Emulator.clients())
        source = Emulator.unique("ledger-east")
        target = Emulator.unique("ledger-west")
        _ = try await Emulator.boto("""
            arn = aws('rds', 'us-east-1').create_db_instance(DBInstanceIdentifier='\(source)', Engine='sqlserver-se', DBInstanceClass='db.m5.large',
                AllocatedStorage=100, MasterUsername='admin', MasterUserPassword='password-1', LicenseModel='license-included')['DBInstance']['DBInstanceArn']
            aws('rds', 'us-west-2').start_db_instance_automated_backups_replication(SourceDBInstanceArn=arn, BackupRetentionPeriod=7)
            """)
    }

    var parameters: JSONValue { ["DBInstanceIdentifierSource": .string(source), "DBInstanceIdentifier": .string(target)] }

    func rds(_ region: String) async throws -> RDS { RDS(try await Emulator.client(region: region)) }

    func calls(_ operation: String, _ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["rds:\(operation)", default: 0]
    }

    @Test func activateRestoresFromTheReplicatedBackupsAndARestartAdoptsTheRestore() async throws {
        try await Emulator.config(["rds": ["restoreSeconds": 60]])
        let context = Emulator.context(.activate, mode: .recovery, parameters: parameters)
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        #expect(first.message?.hasPrefix("restoring \(target) in us-west-2 from the automated backups of \(source) (latest restorable time ") == true, "\(String(describing: first.message))")
        let creating = try await module.check(context, checkpoint: first.checkpoint)
        guard case .inProgress(let message, _, _) = creating else { Issue.record("\(creating)"); return }
        #expect(message == "\(target) is creating")
        #expect(try await module.start(context).message == "adopted \(target), already creating")
        try await Emulator.config(["rds": ["restoreSeconds": 0]])
        let result = try await Emulator.poll(module, context, first.checkpoint).result
        #expect(result.successMessage == "\(target) is available in us-west-2", "\(result)")
        #expect(try await calls("RestoreDBInstanceToPointInTime", before) == 1)
    }

    /// A drill never restores, deletes or replicates; its preflight still reads what each phase needs,
    /// and passes where the drill leaves things as they are: Drill Replicate does not block on the
    /// instance only a recovery's Activate restores.
    @Test(arguments: [Phase.activate, .cleanup, .replicate])
    func aDrillOnlyValidates(phase: Phase) async throws {
        let context = Emulator.context(phase, mode: .drill, parameters: parameters)
        let before = try await Emulator.stats()
        let report = try await module.preflight(context)
        #expect(report.findings.first?.message.hasPrefix("a drill only validates SQLServer") == true)
        #expect(report.passed, "\(report.findings)")
        if phase == .replicate {
            #expect(report.findings.contains { $0.message == "\(target) does not exist in us-west-2 (a drill restores nothing); after a recovery's Activate restores it, Replicate replicates its backups to us-east-1" })
            // A recovery's Replicate before any restore still blocks.
            let recovery = try await module.preflight(Emulator.context(.replicate, mode: .recovery, parameters: parameters))
            #expect(recovery.findings.contains { $0.severity == .blocking && $0.message == "\(target) does not exist in us-west-2: nothing to replicate" })
        }
        let refused = await Emulator.error { try await module.start(context) }
        #expect(refused?.code == "DrillRefused" && refused?.kind == .permanent)
        #expect(try await calls("RestoreDBInstanceToPointInTime", before) == 0)
        #expect(try await calls("StartDBInstanceAutomatedBackupsReplication", before) == 0)
        #expect(try await rds(Emulator.east).describeDBInstance(source)?.status == "available")
    }

    @Test func withoutReplicatedBackupsActivateIsPermanentWithoutARestoreAndPreflightBlocks() async throws {
        let context = Emulator.context(.activate, parameters: ["DBInstanceIdentifierSource": "never-replicated", "DBInstanceIdentifier": .string(target)])
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.code == "NoReplicatedBackups" && error?.kind == .permanent, "\(String(describing: error))")
        let report = try await module.preflight(context)
        #expect(report.findings.contains { $0.severity == .blocking && $0.message == "no automated backups of never-replicated are replicated to us-west-2: nothing to restore from" })
        #expect(try await calls("RestoreDBInstanceToPointInTime", before) == 0)
    }

    @Test func preflightShowsTheBackupsItRestoresFrom() async throws {
        let report = try await module.preflight(Emulator.context(.activate, parameters: parameters))
        #expect(report.passed)
        #expect(report.findings.contains { $0.message.hasPrefix("automated backups of \(source) from us-east-1 are replicating in us-west-2, restorable to ") })
    }

    @Test func anInstanceThisResourceDidNotRestoreIsNotAdopted() async throws {
        _ = try await Emulator.boto("""
            aws('rds', 'us-west-2').create_db_instance(DBInstanceIdentifier='\(target)', Engine='sqlserver-se', DBInstanceClass='db.m5.large',
                AllocatedStorage=100, MasterUsername='admin', MasterUserPassword='password-1', LicenseModel='license-included')
            """)
        let error = await Emulator.error { try await module.start(Emulator.context(.activate, parameters: parameters)) }
        #expect(error?.code == "DBInstanceAlreadyExists" && error?.kind == .permanent, "\(String(describing: error))")
    }

    @Test func aThrottledRestoreIsTransientAndRestoresOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: parameters)
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "rds", operation: "RestoreDBInstanceToPointInTime")
        #expect(try await calls("RestoreDBInstanceToPointInTime", before) == faulted + 1)
    }

    @Test func anIncompatibleRestoreFailsTheCheck() async throws {
        try await Emulator.failure(["kind": "rds-restore-failed", "DBInstanceIdentifier": target])
        let result = try await Emulator.run(module, Emulator.context(.activate, parameters: parameters)).result
        #expect(result.failure?.code == "RestoreFailed" && result.failure?.reason == "the restore of \(target) ended incompatible-restore", "\(result)")
    }

    @Test func recoveryCleanupDeletesTheOldPrimaryOnlyOnceTheNewOneServesAndKeepsAFinalSnapshot() async throws {
        let cleanup = Emulator.context(.cleanup, mode: .recovery, parameters: parameters)
        let early = await Emulator.error { try await module.start(cleanup) }
        #expect(early?.code == "NewPrimaryNotReady", "\(String(describing: early))")
        #expect(try await rds(Emulator.east).describeDBInstance(source) != nil)

        #expect(try await Emulator.run(module, Emulator.context(.activate, parameters: parameters)).result.isSucceeded)
        let (started, result, _) = try await Emulator.run(module, cleanup)
        #expect(started.message?.hasPrefix("deleting \(source) in us-east-1, keeping the final snapshot \(source)-lifeboat-") == true, "\(String(describing: started.message))")
        #expect(result.successMessage == "\(source) is deleted from us-east-1", "\(result)")
        #expect(try await module.start(cleanup).message == "\(source) is already gone from us-east-1")
        let snapshots = try await Emulator.boto("out = [s['DBSnapshotIdentifier'] for s in aws('rds', 'us-east-1').describe_db_snapshots(DBInstanceIdentifier='\(source)')['DBSnapshots']]") as? [String]
        #expect(snapshots?.contains { $0.hasPrefix("\(source)-lifeboat-") } == true, "\(String(describing: snapshots))")
    }

    @Test func replicateStartsBackupReplicationToThePeerOnceAndUngracefulRefuses() async throws {
        #expect(try await Emulator.run(module, Emulator.context(.activate, parameters: parameters)).result.isSucceeded)
        let context = Emulator.context(.replicate, parameters: parameters)
        #expect(context.actingRegion == Emulator.west && context.peerRegion == Emulator.east)
        let before = try await Emulator.stats()
        let (started, result, _) = try await Emulator.run(module, context)
        #expect(started.message == "replicating the automated backups of \(target) to us-east-1, kept 7 days")
        #expect(result.successMessage == "the automated backups of \(target) are replicating to us-east-1", "\(result)")
        #expect(try await module.start(context).message == "backups of \(target) are already replicating in us-east-1")
        #expect(try await calls("StartDBInstanceAutomatedBackupsReplication", before) == 1)

        let ungraceful = Emulator.context(.replicate, strategy: .ungraceful, parameters: parameters)
        #expect(await Emulator.error { try await module.start(ungraceful) }?.code == "PeerRegionNeeded")
    }
}
}
