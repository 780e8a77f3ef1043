import AWS
import Digest
import Engine
import LifeboatAPI
import YAML

/// RDS for SQL Server across regions: Activate restores `DBInstanceIdentifier` in the standby from
/// the automated backups of `DBInstanceIdentifierSource` replicated there (latest restorable time);
/// Recovery Cleanup deletes the old primary, keeping a final snapshot and its automated backups
/// (the writes it took after the last replicated backup are in that snapshot, never thrown away);
/// Replicate starts replicating the new primary's automated backups back to the peer region.
///
/// A drill never restores, deletes or replicates: each would create or remove a database outside
/// what a drill may undo, and Cleanup would delete production. In drills the module only
/// validates (preflight) and refuses to start, like AuroraMySQL's switchover.
public struct SQLServerModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .sqlServer) }

    struct Progress: Checkpoint {
        /// restore, delete or replicate.
        var action: String
        var instance: String
        /// Replicate: the region the backups go to, and the ARN whose backups they are.
        var backupRegion: String?
        var sourceArn: String?
    }

    /// States an instance does not leave by itself: the restore or the instance is lost.
    static let failedStates: Set<String> = ["failed", "incompatible-restore", "incompatible-parameters", "incompatible-network",
                                            "incompatible-option-group", "incompatible-credentials", "storage-full",
                                            "inaccessible-encryption-credentials", "restore-error"]

    private func parameters(_ context: ModuleContext) throws(ModuleError) -> SQLServerParameters {
        try ModuleParameters.decode(SQLServerParameters.self, context, descriptor)
    }

    private func rds(_ context: ModuleContext, _ region: String) async -> RDS {
        RDS(await clients.client(for: context, region: region))
    }

    /// `<id>-lifeboat-<12 hex>`: one final snapshot per execution, a valid snapshot identifier.
    static func finalSnapshot(_ identifier: String, _ context: ModuleContext) -> String {
        "\(identifier)-lifeboat-" + SHA256.hexHash(context.executionUID).prefix(12)
    }

    /// The replicated backups of the source in the acting region (those of an instance elsewhere).
    private func replicatedBackups(_ parameters: SQLServerParameters, _ api: RDS, _ context: ModuleContext) async throws(ModuleError) -> [RDS.AutomatedBackup] {
        try await aws("reading the automated backups of \(parameters.dbInstanceIdentifierSource) in \(context.actingRegion)") {
            try await api.automatedBackups(of: parameters.dbInstanceIdentifierSource)
        }.filter { $0.sourceRegion != context.actingRegion }
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let parameters = try parameters(context)
        let api = await rds(context, context.actingRegion)
        var findings: [PreflightReport.Finding] = []
        if context.mode == .drill {
            findings.append(.init(.ok, "a drill only validates SQLServer: \(context.phase) would \(Self.verb(context.phase)) outside what a drill may undo"))
        }
        switch context.phase {
        case .activate:
            if let existing = try await aws("reading \(parameters.dbInstanceIdentifier)", { try await api.describeDBInstance(parameters.dbInstanceIdentifier) }) {
                findings.append(.init(IdempotencyTags.isThisResource(existing.tags, context) ? .ok : .blocking,
                                      "\(parameters.dbInstanceIdentifier) already exists in \(context.actingRegion) (\(existing.status))"
                                      + (IdempotencyTags.isThisResource(existing.tags, context) ? "; Activate adopts it" : " and was not restored by this resource")))
            }
            let backups = try await replicatedBackups(parameters, api, context)
            if let backup = backups.first {
                findings.append(.init(backup.status == "replicating" ? .ok : .blocking,
                                      "automated backups of \(parameters.dbInstanceIdentifierSource) from \(backup.sourceRegion) are \(backup.status) in \(context.actingRegion)"
                                      + (backup.latestRestorableTime.map { ", restorable to \($0)" } ?? "")))
            } else {
                findings.append(.init(.blocking, "no automated backups of \(parameters.dbInstanceIdentifierSource) are replicated to \(context.actingRegion): nothing to restore from"))
            }
        case .cleanup:
            let old = try await aws("reading \(parameters.dbInstanceIdentifierSource)") { try await api.describeDBInstance(parameters.dbInstanceIdentifierSource) }
            findings.append(.init(.ok, old.map { "Cleanup deletes \($0.identifier) (\($0.status)) in \(context.actingRegion), keeping the final snapshot \(Self.finalSnapshot($0.identifier, context))" }
                                  ?? "\(parameters.dbInstanceIdentifierSource) does not exist in \(context.actingRegion): nothing to delete"))
        default:
            let primary = try await aws("reading \(parameters.dbInstanceIdentifier)") { try await api.describeDBInstance(parameters.dbInstanceIdentifier) }
            if let primary {
                findings.append(.init(primary.status == "available" ? .ok : .warning, "\(primary.identifier) is \(primary.status); Replicate replicates its backups to \(context.peerRegion)"))
            } else if context.mode == .drill {
                // A drill restores nothing, so the instance a recovery's Activate restores is not there yet.
                findings.append(.init(.ok, "\(parameters.dbInstanceIdentifier) does not exist in \(context.actingRegion) (a drill restores nothing); after a recovery's Activate restores it, Replicate replicates its backups to \(context.peerRegion)"))
            } else {
                findings.append(.init(.blocking, "\(parameters.dbInstanceIdentifier) does not exist in \(context.actingRegion): nothing to replicate"))
            }
        }
        return PreflightReport(findings: findings)
    }

    private static func verb(_ phase: Phase) -> String {
        switch phase {
        case .activate: "restore a database"
        case .cleanup: "delete the primary database"
        default: "start backup replication"
        }
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        guard context.mode == .recovery else {
            throw .permanent("a drill never changes databases outside what it can undo, and \(context.phase) would \(Self.verb(context.phase)): SQLServer only validates in drills; leave the resource's drill behaviour at Validate",
                             code: "DrillRefused")
        }
        let parameters = try parameters(context)
        switch context.phase {
        case .activate: return try await restore(parameters, context)
        case .cleanup: return try await deleteOldPrimary(parameters, context)
        default: return try await replicate(parameters, context)
        }
    }

    private func restore(_ parameters: SQLServerParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let api = await rds(context, context.actingRegion)
        let target = parameters.dbInstanceIdentifier
        let progress = Progress(action: "restore", instance: target)
        if let existing = try await aws("reading \(target)", { try await api.describeDBInstance(target) }) {
            guard IdempotencyTags.isThisResource(existing.tags, context) else {
                throw .permanent("\(target) already exists in \(context.actingRegion) and was not restored by this resource; restore into another DBInstanceIdentifier or delete it",
                                 code: "DBInstanceAlreadyExists")
            }
            return StartResult(checkpoint: progress.json, message: "adopted \(target), already \(existing.status)")
        }
        guard let backup = try await replicatedBackups(parameters, api, context).first else {
            throw .permanent("no automated backups of \(parameters.dbInstanceIdentifierSource) are replicated to \(context.actingRegion); start their replication (this module's Replicate) before a recovery",
                             code: "NoReplicatedBackups")
        }
        guard backup.status == "replicating" else {
            // pending: the first replicated backup is still being copied, and will be restorable.
            throw ModuleError(backup.status == "pending" ? .transient : .permanent, code: "BackupsNotRestorable",
                              "the automated backups of \(parameters.dbInstanceIdentifierSource) in \(context.actingRegion) are \(backup.status), not replicating")
        }
        context.logger.info("restoring sql server from replicated backups", ["instance": .string(target), "backup": .string(backup.arn)])
        do throws(ModuleError) {
            _ = try await aws("restoring \(target) from the automated backups of \(parameters.dbInstanceIdentifierSource)") {
                try await api.restoreLatest(fromAutomatedBackups: backup.arn, into: target, instanceClass: parameters.dbInstanceClass, tags: IdempotencyTags.of(context))
            }
        } catch where error.code?.hasPrefix("DBInstanceAlreadyExists") == true {
            return StartResult(checkpoint: progress.json, message: "adopted \(target), restored by a concurrent attempt")
        }
        return StartResult(checkpoint: progress.json, message: "restoring \(target) in \(context.actingRegion) from the automated backups of \(parameters.dbInstanceIdentifierSource) (latest restorable time\(backup.latestRestorableTime.map { " \($0)" } ?? ""))")
    }

    private func deleteOldPrimary(_ parameters: SQLServerParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let api = await rds(context, context.actingRegion)
        let old = parameters.dbInstanceIdentifierSource
        let progress = Progress(action: "delete", instance: old)
        guard let instance = try await aws("reading \(old)", { try await api.describeDBInstance(old) }) else {
            return StartResult(checkpoint: progress.json, message: "\(old) is already gone from \(context.actingRegion)")
        }
        if instance.status == "deleting" { return StartResult(checkpoint: progress.json, message: "adopted the deletion of \(old) under way") }
        // Graceful: the new primary must serve before the old one goes. Ungraceful never calls the peer region.
        if context.strategy == .graceful {
            let peer = await rds(context, context.peerRegion)
            let primary = try await aws("reading the new primary \(parameters.dbInstanceIdentifier) in \(context.peerRegion)") {
                try await peer.describeDBInstance(parameters.dbInstanceIdentifier)
            }
            guard primary?.status == "available" else {
                throw .permanent("the new primary \(parameters.dbInstanceIdentifier) in \(context.peerRegion) is \(primary?.status ?? "missing"), so \(old) is not deleted; Activate it first",
                                 code: "NewPrimaryNotReady")
            }
        }
        let snapshot = Self.finalSnapshot(old, context)
        context.logger.info("deleting the old sql server primary", ["instance": .string(old), "finalSnapshot": .string(snapshot)])
        try await aws("deleting \(old) with the final snapshot \(snapshot)") { try await api.deleteDBInstance(old, finalSnapshot: snapshot) }
        return StartResult(checkpoint: progress.json, message: "deleting \(old) in \(context.actingRegion), keeping the final snapshot \(snapshot) and its automated backups")
    }

    private func replicate(_ parameters: SQLServerParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        guard context.strategy == .graceful else {
            throw .permanent("Replicate starts backup replication in \(context.peerRegion), which an Ungraceful execution never calls; run Replicate Graceful once \(context.peerRegion) is back",
                             code: "PeerRegionNeeded")
        }
        let api = await rds(context, context.actingRegion)
        guard let primary = try await aws("reading \(parameters.dbInstanceIdentifier)", { try await api.describeDBInstance(parameters.dbInstanceIdentifier) }),
              let arn = primary.arn else {
            throw .permanent("\(parameters.dbInstanceIdentifier) does not exist in \(context.actingRegion): nothing to replicate", code: "DBInstanceNotFound")
        }
        let peer = await rds(context, context.peerRegion)
        let progress = Progress(action: "replicate", instance: parameters.dbInstanceIdentifier, backupRegion: context.peerRegion, sourceArn: arn)
        let existing = try await aws("reading the automated backups of \(parameters.dbInstanceIdentifier) in \(context.peerRegion)") {
            try await peer.automatedBackups(of: parameters.dbInstanceIdentifier)
        }.first { $0.dbInstanceArn == arn }
        if let existing {
            return StartResult(checkpoint: progress.json, message: "backups of \(parameters.dbInstanceIdentifier) are already \(existing.status) in \(context.peerRegion)")
        }
        context.logger.info("starting automated backup replication", ["instance": .string(parameters.dbInstanceIdentifier), "to": .string(context.peerRegion)])
        _ = try await aws("starting the replication of \(parameters.dbInstanceIdentifier)'s backups to \(context.peerRegion)") {
            try await peer.startAutomatedBackupsReplication(sourceArn: arn, retentionDays: parameters.backupRetentionPeriod)
        }
        return StartResult(checkpoint: progress.json, message: "replicating the automated backups of \(parameters.dbInstanceIdentifier) to \(context.peerRegion), kept \(parameters.backupRetentionPeriod) days")
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "SQLServer")
        if progress.action == "replicate", let region = progress.backupRegion {
            let peer = await rds(context, region)
            let backup = try await aws("reading the automated backups of \(progress.instance) in \(region)") {
                try await peer.automatedBackups(of: progress.instance)
            }.first { $0.dbInstanceArn == progress.sourceArn }
            switch backup?.status {
            case "replicating"?: return .succeeded(message: "the automated backups of \(progress.instance) are replicating to \(region)")
            case "pending"?: return .inProgress(message: "the replication of \(progress.instance)'s backups to \(region) is pending", nextPoll: .seconds(60))
            case let status?: return .failed(reason: "the automated backups of \(progress.instance) in \(region) are \(status), not replicating", code: "ReplicationNotRunning")
            case nil: return .failed(reason: "no automated backups of \(progress.instance) are replicated to \(region)", code: "ReplicationMissing")
            }
        }
        let api = await rds(context, context.actingRegion)
        let instance = try await aws("reading \(progress.instance)") { try await api.describeDBInstance(progress.instance) }
        if progress.action == "delete" {
            guard let instance else { return .succeeded(message: "\(progress.instance) is deleted from \(context.actingRegion)") }
            if Self.failedStates.contains(instance.status) { return .failed(reason: "\(progress.instance) is \(instance.status) instead of deleting", code: "DeleteFailed") }
            return .inProgress(message: "\(progress.instance) is \(instance.status)", nextPoll: .seconds(30))
        }
        guard let instance else {
            return .failed(reason: "\(progress.instance) no longer exists in \(context.actingRegion) (deleted during the restore)", code: "DBInstanceNotFound")
        }
        if instance.status == "available" { return .succeeded(message: "\(progress.instance) is available in \(context.actingRegion)") }
        if Self.failedStates.contains(instance.status) || instance.status == "deleting" {
            return .failed(reason: "the restore of \(progress.instance) ended \(instance.status)", code: "RestoreFailed")
        }
        return .inProgress(message: "\(progress.instance) is \(instance.status)", nextPoll: .seconds(30))
    }
}
