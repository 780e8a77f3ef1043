import AWS
import Engine
import LifeboatAPI
import YAML

/// ElastiCache (Redis OSS / Valkey) global datastores across regions.
///
/// Activate makes the acting region's member (`ReplicationGroupId`) the writer. A Graceful
/// Recovery uses FailoverGlobalReplicationGroup: AWS's own planned promotion, coordinated with the
/// old primary (it needs the datastore `available`, so both regions), which AWS offers without a
/// "force" or data-loss switch. An Ungraceful Recovery cannot count on the old primary's region,
/// so it takes the member out of the datastore (DisassociateGlobalReplicationGroup, called in the
/// acting region): the member stops replicating and stands alone, writable — writes the old
/// primary took and had not replicated are lost, which is why only an Ungraceful Recovery does it.
///
/// Recovery Cleanup with `DeleteOldPrimary: true` takes the old primary (the datastore's member in
/// the acting region, now a secondary) out of the datastore and deletes it; its replication group
/// is tagged as this resource's before, so a restarted Cleanup finds it once it has left. Replicate
/// creates a member `ReplicationGroupId` in the peer region, joined to the datastore, in the
/// explicit `SubnetGroup`.
///
/// A drill never fails over, deletes or joins: each would change which region writes or what
/// replicates, outside what a drill may undo. In drills the module only validates (preflight) and
/// refuses to start, like SQLServer and AuroraMySQL's switchover.
public struct ElastiCacheModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .elastiCache) }

    struct Progress: Checkpoint {
        /// failover, detach (Ungraceful promotion), delete, join or none.
        var action: String
        var datastore: String
        var replicationGroup: String
        /// Where `replicationGroup` is.
        var region: String
    }

    private func parameters(_ context: ModuleContext) throws(ModuleError) -> ElastiCacheParameters {
        try ModuleParameters.decode(ElastiCacheParameters.self, context, descriptor)
    }

    private func elastiCache(_ context: ModuleContext, _ region: String) async -> ElastiCache {
        ElastiCache(await clients.client(for: context, region: region))
    }

    private func datastore(_ parameters: ElastiCacheParameters, _ api: ElastiCache, _ context: ModuleContext) async throws(ModuleError) -> ElastiCache.GlobalDatastore {
        guard let datastore = try await aws("reading global datastore \(parameters.globalReplicationGroupId)", {
            try await api.globalDatastore(parameters.globalReplicationGroupId)
        }) else {
            throw .permanent("global datastore \(parameters.globalReplicationGroupId) not found in account \(context.accountId)", code: "GlobalReplicationGroupNotFoundFault")
        }
        return datastore
    }

    private static func verb(_ phase: Phase) -> String {
        switch phase {
        case .activate: "change which region writes"
        case .cleanup: "delete the old primary"
        default: "create a member in the other region"
        }
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let parameters = try parameters(context)
        let api = await elastiCache(context, context.actingRegion)
        var findings: [PreflightReport.Finding] = []
        if context.mode == .drill {
            findings.append(.init(.ok, "a drill only validates ElastiCache: \(context.phase) would \(Self.verb(context.phase)) outside what a drill may undo"))
        }
        let datastore: ElastiCache.GlobalDatastore
        do throws(ModuleError) {
            datastore = try await self.datastore(parameters, api, context)
        } catch where error.code == "GlobalReplicationGroupNotFoundFault" {
            return PreflightReport(findings: findings + [.init(.blocking, error.message)])
        }
        let mine = datastore.member(in: context.actingRegion)
        switch context.phase {
        case .activate:
            if let mine, mine.replicationGroupId == parameters.replicationGroupId {
                if mine.isPrimary {
                    findings.append(.init(.ok, "\(mine.replicationGroupId) is already the primary of \(datastore.identifier)"))
                } else if context.strategy == .graceful && datastore.status != "available" {
                    findings.append(.init(.blocking, "\(datastore.identifier) is \(datastore.status): a planned failover needs it available"))
                } else {
                    findings.append(.init(.ok, "\(mine.replicationGroupId) in \(context.actingRegion) is a secondary of \(datastore.identifier) (\(datastore.status)); Activate "
                                          + (context.strategy == .graceful ? "fails over to it" : "takes it out of the datastore, writable (data-losing)")))
                }
            } else {
                findings.append(.init(.blocking, "\(parameters.replicationGroupId) is not the member of \(datastore.identifier) in \(context.actingRegion)"
                                      + (mine.map { " (its member there is \($0.replicationGroupId))" } ?? "")))
            }
        case .cleanup:
            if !parameters.deleteOldPrimary {
                findings.append(.init(.ok, "DeleteOldPrimary is false: Cleanup leaves the old primary in \(datastore.identifier)"))
            } else if let mine {
                findings.append(.init(mine.isPrimary ? .blocking : .ok, mine.isPrimary
                                      ? "\(mine.replicationGroupId) in \(context.actingRegion) is still the primary of \(datastore.identifier): Activate first"
                                      : "Cleanup takes \(mine.replicationGroupId) out of \(datastore.identifier) and deletes it in \(context.actingRegion)"))
            } else {
                findings.append(.init(.ok, "\(datastore.identifier) has no member in \(context.actingRegion): nothing to delete"))
            }
        case .replicate where context.mode == .drill:
            // A drill fails nothing over: the standby's member is a secondary, and is what a recovery's Activate promotes.
            if let mine, mine.replicationGroupId == parameters.replicationGroupId {
                findings.append(.init(.ok, "\(mine.replicationGroupId) in \(context.actingRegion) is \(mine.isPrimary ? "the primary" : "a secondary") of \(datastore.identifier); "
                                      + "once a recovery's Activate has made it the primary, Replicate creates \(parameters.replicationGroupId) in \(context.peerRegion), joined to \(datastore.identifier)"))
            } else {
                findings.append(.init(.blocking, "\(parameters.replicationGroupId) is not the member of \(datastore.identifier) in \(context.actingRegion)"
                                      + (mine.map { " (its member there is \($0.replicationGroupId))" } ?? "")))
            }
        default:
            if mine?.isPrimary != true {
                findings.append(.init(.blocking, "the primary of \(datastore.identifier) is not in \(context.actingRegion): Replicate joins a member to the new primary"))
            }
            if let peer = datastore.member(in: context.peerRegion) {
                findings.append(.init(.ok, "\(datastore.identifier) already has \(peer.replicationGroupId) in \(context.peerRegion) (\(peer.status))"))
            } else {
                findings.append(.init(.ok, "Replicate creates \(parameters.replicationGroupId) in \(context.peerRegion), joined to \(datastore.identifier)"))
            }
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        guard context.mode == .recovery else {
            throw .permanent("a drill never changes which region serves or what replicates, and \(context.phase) would \(Self.verb(context.phase)): ElastiCache only validates in drills; leave the resource's drill behaviour at Validate",
                             code: "DrillRefused")
        }
        let parameters = try parameters(context)
        switch context.phase {
        case .activate: return try await promote(parameters, context)
        case .cleanup: return try await deleteOldPrimary(parameters, context)
        default: return try await join(parameters, context)
        }
    }

    private func promote(_ parameters: ElastiCacheParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let api = await elastiCache(context, context.actingRegion)
        let graceful = context.strategy == .graceful
        let progress = Progress(action: graceful ? "failover" : "detach", datastore: parameters.globalReplicationGroupId,
                                replicationGroup: parameters.replicationGroupId, region: context.actingRegion)
        let datastore = try await datastore(parameters, api, context)
        guard let member = datastore.member(in: context.actingRegion), member.replicationGroupId == parameters.replicationGroupId else {
            // Ungraceful and restarted: the member may already stand alone.
            if !graceful, let group = try await aws("reading \(parameters.replicationGroupId)", { try await api.replicationGroup(parameters.replicationGroupId) }),
               group.globalReplicationGroupId == nil {
                return StartResult(checkpoint: progress.json, message: "adopted \(parameters.replicationGroupId), already out of \(datastore.identifier) (\(group.status))")
            }
            throw .permanent("\(parameters.replicationGroupId) is not the member of \(datastore.identifier) in \(context.actingRegion)", code: "NotAMember")
        }
        if member.isPrimary {
            return StartResult(checkpoint: progress.json, message: "\(member.replicationGroupId) is already the primary of \(datastore.identifier)")
        }
        if datastore.status == "modifying" || member.status == "disassociating" {
            return StartResult(checkpoint: progress.json, message: "adopted the change of \(datastore.identifier) under way")
        }
        if graceful {
            guard datastore.status == "available" else {
                throw .permanent("\(datastore.identifier) is \(datastore.status), and a planned failover needs it available", code: "InvalidGlobalReplicationGroupState")
            }
            context.logger.info("failing over elasticache global datastore", ["datastore": .string(datastore.identifier), "to": .string(member.replicationGroupId)])
            try await aws("failing \(datastore.identifier) over to \(member.replicationGroupId) in \(context.actingRegion)") {
                try await api.failover(datastore.identifier, to: member.replicationGroupId, in: context.actingRegion)
            }
            return StartResult(checkpoint: progress.json, message: "failing \(datastore.identifier) over to \(member.replicationGroupId) in \(context.actingRegion) (planned)")
        }
        context.logger.info("detaching elasticache member to write alone", ["datastore": .string(datastore.identifier), "member": .string(member.replicationGroupId)])
        try await aws("taking \(member.replicationGroupId) out of \(datastore.identifier)") {
            try await api.disassociate(datastore.identifier, member: member.replicationGroupId, in: context.actingRegion)
        }
        return StartResult(checkpoint: progress.json, message: "taking \(member.replicationGroupId) out of \(datastore.identifier) to write alone in \(context.actingRegion) (Ungraceful: unreplicated writes are lost)")
    }

    private func deleteOldPrimary(_ parameters: ElastiCacheParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let none = Progress(action: "none", datastore: parameters.globalReplicationGroupId, replicationGroup: "", region: context.actingRegion)
        guard parameters.deleteOldPrimary else {
            return StartResult(checkpoint: none.json, message: "DeleteOldPrimary is false: the old primary stays a secondary of \(parameters.globalReplicationGroupId)")
        }
        let api = await elastiCache(context, context.actingRegion)
        let datastore = try await datastore(parameters, api, context)
        guard let member = datastore.member(in: context.actingRegion) else {
            // Restarted after the old primary left the datastore: it carries this resource's tag.
            for group in try await aws("listing the replication groups of \(context.actingRegion)", { try await api.replicationGroups() }) {
                guard let arn = group.arn, group.globalReplicationGroupId == nil,
                      IdempotencyTags.isOurs(try await aws("reading the tags of \(group.identifier)", { try await api.tags(of: arn) }), context)
                else { continue }
                let progress = Progress(action: "delete", datastore: datastore.identifier, replicationGroup: group.identifier, region: context.actingRegion)
                return StartResult(checkpoint: progress.json, message: "adopted the removal of \(group.identifier), already out of \(datastore.identifier) (\(group.status))")
            }
            return StartResult(checkpoint: none.json, message: "\(datastore.identifier) has no member in \(context.actingRegion): nothing to delete")
        }
        guard !member.isPrimary else {
            throw .permanent("\(member.replicationGroupId) in \(context.actingRegion) is still the primary of \(datastore.identifier), so it is not deleted; Activate Graceful first (after an Ungraceful Activate the datastore keeps it as its primary: delete the datastore by hand)",
                             code: "OldPrimaryStillPrimary")
        }
        let progress = Progress(action: "delete", datastore: datastore.identifier, replicationGroup: member.replicationGroupId, region: context.actingRegion)
        if member.status == "disassociating" { return StartResult(checkpoint: progress.json, message: "adopted the removal of \(member.replicationGroupId) under way") }
        guard let group = try await aws("reading \(member.replicationGroupId)", { try await api.replicationGroup(member.replicationGroupId) }),
              let arn = group.arn else {
            throw .permanent("\(member.replicationGroupId) is a member of \(datastore.identifier) but not found in \(context.actingRegion)", code: "ReplicationGroupNotFoundFault")
        }
        // Tagged before it leaves the datastore: afterwards the tag is the only way back to it.
        try await aws("tagging \(member.replicationGroupId) as this resource's") { try await api.addTags(arn, IdempotencyTags.of(context)) }
        context.logger.info("removing the old elasticache primary", ["datastore": .string(datastore.identifier), "member": .string(member.replicationGroupId)])
        try await aws("taking \(member.replicationGroupId) out of \(datastore.identifier)") {
            try await api.disassociate(datastore.identifier, member: member.replicationGroupId, in: context.actingRegion)
        }
        return StartResult(checkpoint: progress.json, message: "taking \(member.replicationGroupId) out of \(datastore.identifier), then deleting it in \(context.actingRegion)")
    }

    private func join(_ parameters: ElastiCacheParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        guard context.strategy == .graceful else {
            throw .permanent("Replicate creates a member in \(context.peerRegion), which an Ungraceful execution never calls; run Replicate Graceful once \(context.peerRegion) is back",
                             code: "PeerRegionNeeded")
        }
        guard let subnetGroup = parameters.subnetGroup else {
            throw .permanent("Replicate needs SubnetGroup", code: "InvalidParameters")
        }
        let api = await elastiCache(context, context.actingRegion)
        let peer = await elastiCache(context, context.peerRegion)
        let target = parameters.replicationGroupId
        let progress = Progress(action: "join", datastore: parameters.globalReplicationGroupId, replicationGroup: target, region: context.peerRegion)
        if let existing = try await aws("reading \(target) in \(context.peerRegion)", { try await peer.replicationGroup(target) }) {
            guard existing.globalReplicationGroupId == parameters.globalReplicationGroupId else {
                throw .permanent("\(target) already exists in \(context.peerRegion) and is not a member of \(parameters.globalReplicationGroupId)", code: "ReplicationGroupAlreadyExistsFault")
            }
            return StartResult(checkpoint: progress.json, message: "adopted \(target) in \(context.peerRegion), already \(existing.status)")
        }
        let datastore = try await datastore(parameters, api, context)
        guard let primary = datastore.members.first(where: \.isPrimary), primary.region == context.actingRegion else {
            throw .permanent("the primary of \(datastore.identifier) is not in \(context.actingRegion); Activate first", code: "NotThePrimaryRegion")
        }
        if let other = datastore.member(in: context.peerRegion) {
            throw .permanent("\(datastore.identifier) already has a member in \(context.peerRegion): \(other.replicationGroupId)", code: "MemberExists")
        }
        var replicas = parameters.replicasPerNodeGroup
        if replicas == nil, let nodes = try await aws("reading the primary \(primary.replicationGroupId)", { try await api.replicationGroup(primary.replicationGroupId) })?.nodesPerGroup {
            replicas = max(0, nodes - 1)
        }
        context.logger.info("joining an elasticache member", ["datastore": .string(datastore.identifier), "member": .string(target), "region": .string(context.peerRegion)])
        do throws(ModuleError) {
            try await aws("creating \(target) in \(context.peerRegion), joined to \(datastore.identifier)") {
                try await peer.createMember(target, of: datastore.identifier, description: "Lifeboat \(context.planName)/\(context.resourceName): member of \(datastore.identifier)",
                                            subnetGroup: subnetGroup, cacheNodeType: parameters.cacheNodeType, replicasPerNodeGroup: replicas,
                                            tags: IdempotencyTags.of(context))
            }
        } catch where error.code == "ReplicationGroupAlreadyExistsFault" || error.code == "ReplicationGroupAlreadyExists" {
            return StartResult(checkpoint: progress.json, message: "adopted \(target), created by a concurrent attempt")
        }
        return StartResult(checkpoint: progress.json, message: "creating \(target) in \(context.peerRegion), joined to \(datastore.identifier) in subnet group \(subnetGroup)")
    }

    static let failedStates: Set<String> = ["create-failed", "failed"]

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "ElastiCache")
        if progress.action == "none" { return .succeeded(message: "nothing to do for \(progress.datastore) in \(progress.region)") }
        let api = await elastiCache(context, progress.region)
        let group = try await aws("reading \(progress.replicationGroup) in \(progress.region)") { try await api.replicationGroup(progress.replicationGroup) }
        switch progress.action {
        case "delete":
            guard let group else { return .succeeded(message: "\(progress.replicationGroup) is deleted from \(progress.region)") }
            if group.status == "deleting" || group.globalReplicationGroupId != nil {
                return .inProgress(message: "\(progress.replicationGroup) is \(group.globalReplicationGroupId != nil ? "leaving \(progress.datastore)" : group.status)", nextPoll: .seconds(30))
            }
            // Out of the datastore: deleted once (a later poll sees it deleting, or gone). Gone
            // between the read and the delete (a delete whose answer was lost, read back stale)
            // is the outcome we want, not a failure.
            do throws(ModuleError) {
                try await aws("deleting \(progress.replicationGroup) in \(progress.region)") { try await api.deleteReplicationGroup(progress.replicationGroup) }
            } catch where error.code == "ReplicationGroupNotFoundFault" {
                return .succeeded(message: "\(progress.replicationGroup) is deleted from \(progress.region)")
            }
            return .inProgress(message: "deleting \(progress.replicationGroup)", nextPoll: .seconds(30))
        case "detach":
            guard let group else { return .failed(reason: "\(progress.replicationGroup) no longer exists in \(progress.region)", code: "ReplicationGroupNotFoundFault") }
            if Self.failedStates.contains(group.status) { return .failed(reason: "\(progress.replicationGroup) is \(group.status)", code: "PromotionFailed") }
            if group.globalReplicationGroupId == nil && group.status == "available" {
                return .succeeded(message: "\(progress.replicationGroup) writes alone in \(progress.region), out of \(progress.datastore)")
            }
            return .inProgress(message: "\(progress.replicationGroup) is leaving \(progress.datastore)", nextPoll: .seconds(30))
        default:
            guard let group else {
                return .failed(reason: "\(progress.replicationGroup) no longer exists in \(progress.region)", code: "ReplicationGroupNotFoundFault")
            }
            if Self.failedStates.contains(group.status) {
                return .failed(reason: "\(progress.replicationGroup) in \(progress.region) is \(group.status)", code: progress.action == "join" ? "CreateFailed" : "FailoverFailed")
            }
            guard let datastore = try await aws("reading global datastore \(progress.datastore)", { try await api.globalDatastore(progress.datastore) }) else {
                return .failed(reason: "global datastore \(progress.datastore) no longer exists", code: "GlobalReplicationGroupNotFoundFault")
            }
            if Self.failedStates.contains(datastore.status) {
                return .failed(reason: "\(progress.datastore) is \(datastore.status)", code: progress.action == "join" ? "CreateFailed" : "FailoverFailed")
            }
            let member = datastore.member(in: progress.region)
            let done = progress.action == "join" ? member?.status == "associated" : (member?.isPrimary == true && datastore.status == "available")
            if done && group.status == "available" {
                return .succeeded(message: progress.action == "join"
                                  ? "\(progress.replicationGroup) in \(progress.region) replicates from \(progress.datastore)"
                                  : "\(progress.replicationGroup) is the primary of \(progress.datastore) in \(progress.region)")
            }
            if progress.action == "join" && group.globalReplicationGroupId == nil && group.status == "available" {
                return .failed(reason: "\(progress.replicationGroup) was created but is not a member of \(progress.datastore)", code: "CreateFailed")
            }
            return .inProgress(message: "\(progress.datastore) is \(datastore.status); \(progress.replicationGroup) is \(member.map { "\($0.role.lowercased()), \($0.status)" } ?? group.status)",
                               nextPoll: .seconds(30))
        }
    }
}
