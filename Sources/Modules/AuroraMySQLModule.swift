import AWS
import Engine
import LifeboatAPI
import YAML

/// Aurora MySQL global database (MODULES.md). The member cluster carries the same identifier in
/// both regions, so one resource serves every phase:
///
/// - Instantiate (acting = standby): creates the listed reader instances in the headless
///   secondary cluster.
/// - Activate (acting = standby): a Graceful execution switches over (no data loss); only an
///   Ungraceful **Recovery** fails over with data loss, and never when the resource pins
///   `FailoverType: Switchover`. The target is the acting region's cluster ARN; the impaired
///   region is never called.
/// - Cleanup (acting = old primary): deletes the listed instances there, and refuses while that
///   cluster is still the global writer.
///
/// In a drill (acting = the standby in every phase): Instantiate creates the listed readers and
/// marks each one it creates (a `DrillRecord` tag); Activate never switches over (that would
/// change which region serves) and only validates; Cleanup deletes exactly the marked readers.
public struct AuroraMySQLModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .auroraMySQL) }

    /// Instance states that end a create or a delete badly (RDS's DBInstanceStatus values).
    static let failedInstanceStates: Set<String> = [
        "failed", "inaccessible-encryption-credentials", "inaccessible-encryption-credentials-recoverable", "incompatible-network",
        "incompatible-option-group", "incompatible-parameters", "incompatible-restore", "insufficient-capacity", "restore-error",
        "storage-full",
    ]

    struct Settings {
        var global: String
        var cluster: String
        var instances: [String]
        var instanceClass: String
        var pinsSwitchover: Bool
    }

    enum Operation: String, Codable, Sendable {
        case createInstances, switchover, failover, deleteInstances
    }

    struct Progress: Checkpoint {
        var operation: Operation
        var global: String
        var cluster: String
        var clusterArn: String?
        var instances: [String]?
        /// The writer before Activate, to tell a finished failover from one that ended without moving.
        var previousWriterArn: String?
    }

    private func settings(_ context: ModuleContext) throws(ModuleError) -> Settings {
        let parameters = try ModuleParameters.decode(AuroraMySQLParameters.self, context, descriptor)
        return Settings(global: parameters.globalClusterIdentifier, cluster: parameters.dbClusterIdentifier,
                        instances: parameters.dbInstanceIdentifiers, instanceClass: parameters.dbInstanceClass,
                        pinsSwitchover: parameters.failoverType == "Switchover")
    }

    /// The global cluster and the acting region's member, both required to exist and belong together.
    private func topology(_ settings: Settings, _ api: RDS, _ context: ModuleContext) async throws(ModuleError) -> (RDS.GlobalCluster, RDS.DBCluster) {
        guard let global = try await aws("describing global cluster \(settings.global)", { try await api.describeGlobalCluster(settings.global) }) else {
            throw .permanent("global cluster \(settings.global) not found (account \(context.accountId))", code: "GlobalClusterNotFoundFault")
        }
        guard let cluster = try await aws("describing cluster \(settings.cluster)", { try await api.describeDBCluster(settings.cluster) }) else {
            throw .permanent("cluster \(settings.cluster) not found in \(context.actingRegion) (account \(context.accountId))", code: "DBClusterNotFoundFault")
        }
        guard global.members.contains(where: { $0.clusterARN == cluster.arn }) else {
            throw .permanent("cluster \(cluster.arn) is not a member of global cluster \(settings.global)", code: "InvalidGlobalClusterStateFault")
        }
        return (global, cluster)
    }

    private func region(of arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 3 ? String(parts[3]) : arn
    }

    /// Which managed operation Activate uses, or why it must not act.
    func activation(_ context: ModuleContext, pinsSwitchover: Bool) throws(ModuleError) -> Operation {
        guard context.mode == .recovery else {
            throw .permanent("a drill never changes which region serves, so it never switches over or fails over \(context.actingRegion)'s cluster; "
                             + "leave the resource's drill behaviour at Validate (its preflight checks the switchover)", code: "DrillRefused")
        }
        if context.strategy == .graceful { return .switchover }
        guard !pinsSwitchover else {
            throw .permanent("FailoverType: Switchover forbids a failover with data loss, and an Ungraceful execution must not call the impaired region; "
                             + "run Activate Graceful once the primary region answers, or remove FailoverType", code: "DataLossRefused")
        }
        return .failover
    }

    // MARK: Preflight

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let settings = try settings(context)
        let api = RDS(await clients.client(for: context, region: context.actingRegion))
        let (global, cluster) = try await topology(settings, api, context)
        var findings: [PreflightReport.Finding] = [.init(.ok, "global cluster \(global.identifier) \(global.status), writer in \(global.writer.map { region(of: $0.clusterARN) } ?? "no region")")]
        if let state = global.failoverState {
            findings.append(.init(context.phase == .activate ? .warning : .blocking,
                                  "a \(state.isDataLossAllowed ? "failover" : "switchover") to \(state.toClusterARN ?? "?") is \(state.status)"))
        }
        let isWriter = global.writer?.clusterARN == cluster.arn
        // A secondary that a failover with data loss cut off must resynchronise before it is a standby again.
        for member in global.members where !member.isWriter {
            switch member.synchronizationStatus {
            case "pending-resync"?: findings.append(.init(.warning, "\(member.clusterARN) is pending-resync: not replicating yet"))
            case let status?: findings.append(.init(.ok, "\(member.clusterARN) replication \(status)"))
            case nil: break
            }
        }
        switch context.phase {
        case .instantiate:
            for name in settings.instances {
                let instance = try await aws("describing instance \(name)") { try await api.describeDBInstance(name) }
                if let instance, instance.clusterIdentifier != settings.cluster {
                    findings.append(.init(.blocking, "instance \(name) exists in cluster \(instance.clusterIdentifier ?? "none"), not \(settings.cluster)"))
                } else if let instance {
                    findings.append(.init(.ok, "instance \(name) already exists (\(instance.status))"))
                }
            }
        case .activate:
            if isWriter {
                findings.append(.init(.ok, "\(settings.cluster) in \(context.actingRegion) is already the writer"))
            } else {
                do throws(ModuleError) {
                    var recovery = context
                    recovery.mode = .recovery
                    let operation = try activation(recovery, pinsSwitchover: settings.pinsSwitchover)
                    let verb = operation == .switchover ? "switch over" : "fail over (allowing data loss)"
                    findings.append(.init(.ok, context.mode == .drill ? "a Recovery Activate would \(verb) to \(cluster.arn); a drill only checks it"
                                                                     : "would \(verb) to \(cluster.arn)"))
                } catch {
                    findings.append(.init(.blocking, error.message))
                }
                if cluster.members.isEmpty {
                    findings.append(.init(.blocking, "\(settings.cluster) in \(context.actingRegion) has no instances to promote; run Instantiate first"))
                }
            }
        case .cleanup:
            if isWriter {
                findings.append(.init(.blocking, "\(settings.cluster) in \(context.actingRegion) is still the global writer; Activate the other region first"))
            }
        case .replicate:
            break
        }
        return PreflightReport(findings: findings)
    }

    // MARK: Start

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let settings = try settings(context)
        let api = RDS(await clients.client(for: context, region: context.actingRegion))
        switch context.phase {
        case .instantiate: return try await createInstances(settings, api, context)
        case .activate: return try await activate(settings, api, context)
        case .cleanup: return try await deleteInstances(settings, api, context)
        case .replicate:
            throw .permanent("AuroraMySQL has no Replicate action: Aurora global replication resumes by itself", code: "PhaseNotSupported")
        }
    }

    private func createInstances(_ settings: Settings, _ api: RDS, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let (global, cluster) = try await topology(settings, api, context)
        var created: [String] = []
        // In a drill, the tag marks the reader as the drill's to delete; created in one call, so a
        // reader never exists without it.
        var tags = IdempotencyTags.of(context)
        if context.recordsDrill { tags[DrillRecord.tagKey] = DrillRecord(context, ["created": "true"]).tagValue }
        for name in settings.instances {
            if let existing = try await aws("describing instance \(name)", { try await api.describeDBInstance(name) }) {
                guard existing.clusterIdentifier == settings.cluster else {
                    throw .permanent("instance \(name) already exists in cluster \(existing.clusterIdentifier ?? "none"), not \(settings.cluster)",
                                     code: "DBInstanceAlreadyExists")
                }
                continue
            }
            context.logger.info("creating aurora instance", ["instance": .string(name), "cluster": .string(settings.cluster)])
            do throws(ModuleError) {
                try await aws("creating instance \(name) in \(settings.cluster)") {
                    try await api.createDBInstance(name, cluster: settings.cluster, instanceClass: settings.instanceClass,
                                                   engine: cluster.engine ?? global.engine ?? "aurora-mysql", tags: tags)
                }
            } catch where error.code == "DBInstanceAlreadyExists" {
                // Created by a call whose answer was lost; the check confirms its cluster.
            }
            created.append(name)
        }
        let progress = Progress(operation: .createInstances, global: settings.global, cluster: settings.cluster, clusterArn: cluster.arn,
                                instances: settings.instances)
        let message = created.isEmpty ? "every instance already exists in \(settings.cluster)"
            : "creating \(created.joined(separator: ", ")) (\(settings.instanceClass)) in \(settings.cluster), \(context.actingRegion)"
        return StartResult(checkpoint: progress.json, message: message)
    }

    private func activate(_ settings: Settings, _ api: RDS, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let (global, cluster) = try await topology(settings, api, context)
        let previous = global.writer?.clusterARN
        if let state = global.failoverState {
            // One under way: adopt it if it goes where we want, never start a second.
            guard state.toClusterARN == cluster.arn else {
                throw .transient("a \(state.isDataLossAllowed ? "failover" : "switchover") of \(settings.global) towards \(state.toClusterARN ?? "another cluster") is \(state.status); waiting for it to end",
                                 code: "InvalidGlobalClusterStateFault")
            }
            let progress = Progress(operation: state.isDataLossAllowed ? .failover : .switchover, global: settings.global, cluster: settings.cluster,
                                    clusterArn: cluster.arn, previousWriterArn: state.fromClusterARN ?? previous)
            return StartResult(checkpoint: progress.json, message: "adopted the \(progress.operation.rawValue) to \(cluster.arn) already \(state.status)")
        }
        if previous == cluster.arn {
            let progress = Progress(operation: .switchover, global: settings.global, cluster: settings.cluster, clusterArn: cluster.arn,
                                    previousWriterArn: previous)
            return StartResult(checkpoint: progress.json, message: "\(settings.cluster) in \(context.actingRegion) is already the writer of \(settings.global)")
        }
        let operation = try activation(context, pinsSwitchover: settings.pinsSwitchover)
        guard !cluster.members.isEmpty else {
            throw .permanent("\(settings.cluster) in \(context.actingRegion) has no instances to promote; run Instantiate first", code: "InvalidDBClusterStateFault")
        }
        context.logger.info(operation == .switchover ? "switching over global cluster" : "failing over global cluster (data loss allowed)",
                            ["global": .string(settings.global), "target": .string(cluster.arn)])
        try await aws("\(operation == .switchover ? "switching over" : "failing over") \(settings.global) to \(cluster.arn)") {
            if operation == .switchover {
                _ = try await api.switchoverGlobalCluster(settings.global, targetClusterARN: cluster.arn)
            } else {
                _ = try await api.failoverGlobalCluster(settings.global, targetClusterARN: cluster.arn)
            }
        }
        let progress = Progress(operation: operation, global: settings.global, cluster: settings.cluster, clusterArn: cluster.arn,
                                previousWriterArn: previous)
        let message = operation == .switchover
            ? "switchover of \(settings.global) to \(context.actingRegion) started (no data loss)"
            : "failover of \(settings.global) to \(context.actingRegion) started (Ungraceful Recovery: writes not yet replicated from \(previous.map(region) ?? "the old primary") are lost)"
        return StartResult(checkpoint: progress.json, message: message)
    }

    private func deleteInstances(_ settings: Settings, _ api: RDS, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let (global, cluster) = try await topology(settings, api, context)
        guard global.writer?.clusterARN != cluster.arn else {
            throw .permanent("\(settings.cluster) in \(context.actingRegion) is still the writer of \(settings.global); Cleanup deletes the old primary's instances only after Activate moved the writer",
                             code: "InvalidGlobalClusterStateFault")
        }
        var deleting: [String] = []
        var drillCreated: [String] = []
        for name in settings.instances {
            guard let instance = try await aws("describing instance \(name)", { try await api.describeDBInstance(name) }) else { continue }
            guard instance.clusterIdentifier == settings.cluster else {
                throw .permanent("instance \(name) belongs to cluster \(instance.clusterIdentifier ?? "none"), not \(settings.cluster); not deleting it",
                                 code: "InvalidDBInstanceStateFault")
            }
            if context.undoesDrill, DrillRecord(tags: instance.tags) == nil { continue }
            if context.undoesDrill { drillCreated.append(name) }
            if instance.status == "deleting" { continue }
            context.logger.info("deleting aurora instance", ["instance": .string(name), "cluster": .string(settings.cluster)])
            do throws(ModuleError) {
                try await aws("deleting instance \(name)") { try await api.deleteDBInstance(name) }
            } catch where error.code == "DBInstanceNotFound" || error.code == "DBInstanceNotFoundFault" {
                continue
            }
            deleting.append(name)
        }
        // A drill's Cleanup waits only for the readers a drill created (a restart finds them by
        // their tag until they are gone).
        let progress = Progress(operation: .deleteInstances, global: settings.global, cluster: settings.cluster, clusterArn: cluster.arn,
                                instances: context.undoesDrill ? drillCreated : settings.instances)
        let message = context.undoesDrill && drillCreated.isEmpty ? "no listed instance in \(settings.cluster), \(context.actingRegion) was created by a drill"
            : deleting.isEmpty ? "no listed instance is left in \(settings.cluster), \(context.actingRegion)"
            : "deleting \(deleting.joined(separator: ", ")) in \(settings.cluster), \(context.actingRegion)"
        return StartResult(checkpoint: progress.json, message: message)
    }

    // MARK: Check

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "AuroraMySQL")
        let api = RDS(await clients.client(for: context, region: context.actingRegion))
        switch progress.operation {
        case .createInstances:
            var waiting: [String] = []
            for name in progress.instances ?? [] {
                guard let instance = try await aws("describing instance \(name)", { try await api.describeDBInstance(name) }) else {
                    return .failed(reason: "instance \(name) disappeared while being created", code: "DBInstanceNotFound")
                }
                if Self.failedInstanceStates.contains(instance.status) || instance.status == "deleting" {
                    return .failed(reason: "instance \(name) is \(instance.status)", code: "InstanceFailed")
                }
                if instance.clusterIdentifier != progress.cluster {
                    return .failed(reason: "instance \(name) belongs to cluster \(instance.clusterIdentifier ?? "none"), not \(progress.cluster)",
                                   code: "DBInstanceAlreadyExists")
                }
                if instance.status != "available" { waiting.append("\(name) \(instance.status)") }
            }
            if waiting.isEmpty { return .succeeded(message: "\((progress.instances ?? []).joined(separator: ", ")) available in \(progress.cluster)") }
            return .inProgress(message: "waiting for " + waiting.joined(separator: ", "), nextPoll: .seconds(30))
        case .switchover, .failover:
            guard let global = try await aws("describing global cluster \(progress.global)", { try await api.describeGlobalCluster(progress.global) }) else {
                return .failed(reason: "global cluster \(progress.global) no longer exists", code: "GlobalClusterNotFoundFault")
            }
            let writer = global.writer?.clusterARN
            if let state = global.failoverState {
                return .inProgress(message: "\(progress.operation.rawValue) of \(progress.global): \(state.status), global cluster \(global.status)", nextPoll: .seconds(10))
            }
            if writer == progress.clusterArn, global.status == "available" {
                return .succeeded(message: "\(progress.cluster) in \(context.actingRegion) is the writer of \(progress.global)")
            }
            if writer == progress.clusterArn {
                return .inProgress(message: "\(progress.cluster) is the writer; global cluster \(global.status)", nextPoll: .seconds(10))
            }
            if global.status == "available" {
                return .failed(reason: "the \(progress.operation.rawValue) of \(progress.global) ended with \(writer.map(region) ?? "no region") still the writer, not \(context.actingRegion)",
                               code: "GlobalClusterFailoverFailed")
            }
            return .inProgress(message: "global cluster \(progress.global) \(global.status)", nextPoll: .seconds(10))
        case .deleteInstances:
            var waiting: [String] = []
            for name in progress.instances ?? [] {
                guard let instance = try await aws("describing instance \(name)", { try await api.describeDBInstance(name) }) else { continue }
                if Self.failedInstanceStates.contains(instance.status) {
                    return .failed(reason: "instance \(name) is \(instance.status) instead of being deleted", code: "InstanceFailed")
                }
                waiting.append("\(name) \(instance.status)")
            }
            if waiting.isEmpty {
                return .succeeded(message: context.undoesDrill ? "the readers the drill created are deleted from \(progress.cluster), \(context.actingRegion)"
                                  : "the old primary's instances are deleted from \(progress.cluster), \(context.actingRegion)")
            }
            return .inProgress(message: "waiting for " + waiting.joined(separator: ", ") + " to be deleted", nextPoll: .seconds(30))
        }
    }
}
