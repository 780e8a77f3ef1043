import AWS
import Digest
import Engine
import LifeboatAPI
import YAML

/// MemoryDB has no cross-region replication, so the standby's cluster is restored when needed:
/// Activate creates `ClusterName` in the acting region from a snapshot (`SnapshotArns`, S3 .rdb
/// objects, or `SnapshotName`) with the configuration saved in SSM (`ClusterConfigSSMKey`, in the
/// acting region), and once it is available writes its endpoint to `ClusterEndpointSSMKey`.
/// Recovery Cleanup saves the old primary's configuration to `ClusterConfigSSMKey` in its own
/// region (where a failback's Activate reads it) and deletes it, keeping a final snapshot.
///
/// A drill never restores or deletes: a restore is a second cluster in the standby the drill
/// could only throw away, and Cleanup would delete production. In drills the module only
/// validates (preflight) and refuses to start, like SQLServer.
public struct MemoryDBModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .memoryDB) }

    struct Progress: Checkpoint {
        /// restore or delete.
        var action: String
        var cluster: String
        /// restore: where the check writes the endpoint once the cluster is available.
        var endpointKey: String?
    }

    private func parameters(_ context: ModuleContext) throws(ModuleError) -> MemoryDBParameters {
        try ModuleParameters.decode(MemoryDBParameters.self, context, descriptor)
    }

    private func memoryDB(_ context: ModuleContext, _ region: String) async -> MemoryDB {
        MemoryDB(await clients.client(for: context, region: region))
    }

    private func ssm(_ context: ModuleContext) async -> SSM {
        SSM(await clients.client(for: context, region: context.actingRegion))
    }

    /// `<cluster>-lifeboat-<12 hex>`: one final snapshot per execution.
    static func finalSnapshot(_ cluster: String, _ context: ModuleContext) -> String {
        "\(cluster)-lifeboat-" + SHA256.hexHash(context.executionUID).prefix(12)
    }

    /// The saved configuration in the acting region; nil when nothing is saved there.
    private func savedConfig(_ parameters: MemoryDBParameters, _ context: ModuleContext) async throws(ModuleError) -> MemoryDBClusterConfig? {
        let api = await ssm(context)
        guard let saved = try await aws("reading the configuration saved in \(parameters.clusterConfigSSMKey)", {
            try await api.parameterIfPresent(parameters.clusterConfigSSMKey)
        }) else { return nil }
        return try MemoryDBClusterConfig(saved: saved.value, key: parameters.clusterConfigSSMKey)
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let parameters = try parameters(context)
        let api = await memoryDB(context, context.actingRegion)
        var findings: [PreflightReport.Finding] = []
        if context.mode == .drill {
            findings.append(.init(.ok, "a drill only validates MemoryDB: \(context.phase) would \(Self.verb(context.phase)) outside what a drill may undo"))
        }
        let cluster = try await aws("reading cluster \(parameters.clusterName)") { try await api.describeCluster(parameters.clusterName) }
        if context.phase == .activate {
            if let cluster {
                let ours = IdempotencyTags.isThisResource(try await aws("reading the tags of \(parameters.clusterName)") { try await api.tags(of: cluster.arn) }, context)
                findings.append(.init(ours ? .ok : .blocking, "\(parameters.clusterName) already exists in \(context.actingRegion) (\(cluster.status))"
                                      + (ours ? "; Activate adopts it" : " and was not restored by this resource")))
            }
            do throws(ModuleError) {
                findings.append(try await savedConfig(parameters, context).map { _ in
                    .init(.ok, "the cluster configuration is saved in \(parameters.clusterConfigSSMKey) in \(context.actingRegion)")
                } ?? .init(.blocking, "nothing is saved in \(parameters.clusterConfigSSMKey) in \(context.actingRegion): Activate has no configuration to restore with"))
            } catch where error.code == "BadClusterConfig" {
                findings.append(.init(.blocking, error.message))
            }
            if let snapshot = parameters.snapshotName,
               !(try await aws("reading snapshot \(snapshot)") { try await api.snapshotExists(snapshot) }) {
                findings.append(.init(.blocking, "snapshot \(snapshot) does not exist in \(context.actingRegion): nothing to restore from"))
            }
        } else {
            findings.append(.init(.ok, cluster.map { "Cleanup saves the configuration of \($0.name) (\($0.status)) to \(parameters.clusterConfigSSMKey) and deletes it in \(context.actingRegion), keeping the final snapshot \(Self.finalSnapshot($0.name, context))" }
                                  ?? "\(parameters.clusterName) does not exist in \(context.actingRegion): nothing to delete"))
        }
        return PreflightReport(findings: findings)
    }

    private static func verb(_ phase: Phase) -> String {
        phase == .activate ? "restore a cluster" : "delete the primary cluster"
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        guard context.mode == .recovery else {
            throw .permanent("a drill never changes clusters outside what it can undo, and \(context.phase) would \(Self.verb(context.phase)): MemoryDB only validates in drills; leave the resource's drill behaviour at Validate",
                             code: "DrillRefused")
        }
        let parameters = try parameters(context)
        return context.phase == .activate ? try await restore(parameters, context) : try await delete(parameters, context)
    }

    private func restore(_ parameters: MemoryDBParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let api = await memoryDB(context, context.actingRegion)
        let name = parameters.clusterName
        let progress = Progress(action: "restore", cluster: name, endpointKey: parameters.clusterEndpointSSMKey)
        if let existing = try await aws("reading cluster \(name)", { try await api.describeCluster(name) }) {
            let tags = try await aws("reading the tags of \(name)") { try await api.tags(of: existing.arn) }
            guard IdempotencyTags.isThisResource(tags, context) else {
                throw .permanent("\(name) already exists in \(context.actingRegion) and was not restored by this resource; restore under another ClusterName or delete it",
                                 code: "ClusterAlreadyExistsFault")
            }
            return StartResult(checkpoint: progress.json, message: "adopted \(name), already \(existing.status)")
        }
        guard let config = try await savedConfig(parameters, context) else {
            throw .permanent("nothing is saved in \(parameters.clusterConfigSSMKey) in \(context.actingRegion), so there is no configuration to restore \(name) with; a Cleanup there saves it, or write CreateCluster's fields there as JSON",
                             code: "ClusterConfigNotFound")
        }
        var input = config.input
        if let arns = parameters.snapshotArns { input["SnapshotArns"] = .array(arns.map(JSONValue.string)) }
        if let snapshot = parameters.snapshotName { input["SnapshotName"] = .string(snapshot) }
        let tags = parameters.tags.merging(IdempotencyTags.of(context)) { _, ours in ours }
        context.logger.info("restoring memorydb cluster", ["cluster": .string(name), "source": .string(parameters.snapshotName.map { "snapshot \($0)" } ?? "S3 .rdb files")])
        do throws(ModuleError) {
            try await aws("restoring \(name) in \(context.actingRegion)") { try await api.createCluster(name, input: input, tags: tags) }
        } catch where error.code == "ClusterAlreadyExistsFault" {
            return StartResult(checkpoint: progress.json, message: "adopted \(name), restored by a concurrent attempt")
        }
        return StartResult(checkpoint: progress.json, message: "restoring \(name) in \(context.actingRegion) from \(parameters.snapshotName.map { "snapshot \($0)" } ?? "\(parameters.snapshotArns?.count ?? 0) S3 .rdb file(s)") with the configuration in \(parameters.clusterConfigSSMKey)")
    }

    private func delete(_ parameters: MemoryDBParameters, _ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let api = await memoryDB(context, context.actingRegion)
        let name = parameters.clusterName
        let progress = Progress(action: "delete", cluster: name)
        guard let cluster = try await aws("reading cluster \(name)", { try await api.describeCluster(name) }) else {
            return StartResult(checkpoint: progress.json, message: "\(name) is already gone from \(context.actingRegion)")
        }
        if cluster.status == "deleting" { return StartResult(checkpoint: progress.json, message: "adopted the deletion of \(name) under way") }
        // Graceful: the restored cluster must serve before the old one goes. Ungraceful never calls the peer region.
        if context.strategy == .graceful {
            let peer = await memoryDB(context, context.peerRegion)
            let restored = try await aws("reading the restored \(name) in \(context.peerRegion)") { try await peer.describeCluster(name) }
            guard restored?.status == "available" else {
                throw .permanent("the restored \(name) in \(context.peerRegion) is \(restored?.status ?? "missing"), so the old primary is not deleted; Activate it first",
                                 code: "NewPrimaryNotReady")
            }
        }
        // Saved before deleting, and only when it changed: a restarted Cleanup writes nothing twice.
        let config = MemoryDBClusterConfig(describing: cluster.raw)
        let ssm = await ssm(context)
        let saved = try await aws("reading \(parameters.clusterConfigSSMKey)") { try await ssm.parameterIfPresent(parameters.clusterConfigSSMKey) }
        if saved?.value != config.text {
            try await aws("saving the configuration of \(name) to \(parameters.clusterConfigSSMKey)") {
                try await ssm.putParameter(parameters.clusterConfigSSMKey, value: config.text)
            }
        }
        let snapshot = Self.finalSnapshot(name, context)
        context.logger.info("deleting the old memorydb primary", ["cluster": .string(name), "finalSnapshot": .string(snapshot)])
        try await aws("deleting \(name) with the final snapshot \(snapshot)") { try await api.deleteCluster(name, finalSnapshot: snapshot) }
        return StartResult(checkpoint: progress.json, message: "saved the configuration of \(name) to \(parameters.clusterConfigSSMKey) and deleting it in \(context.actingRegion), keeping the final snapshot \(snapshot)")
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "MemoryDB")
        let api = await memoryDB(context, context.actingRegion)
        let cluster = try await aws("reading cluster \(progress.cluster)") { try await api.describeCluster(progress.cluster) }
        if progress.action == "delete" {
            guard let cluster else { return .succeeded(message: "\(progress.cluster) is deleted from \(context.actingRegion)") }
            return .inProgress(message: "\(progress.cluster) is \(cluster.status)", nextPoll: .seconds(30))
        }
        guard let cluster else {
            return .failed(reason: "\(progress.cluster) no longer exists in \(context.actingRegion) (deleted during the restore)", code: "ClusterNotFoundFault")
        }
        switch cluster.status {
        case "available":
            guard let key = progress.endpointKey, let endpoint = cluster.endpoint else {
                return .failed(reason: "\(progress.cluster) is available but has no endpoint to write", code: "NoEndpoint")
            }
            // Written once: a check polled again after a restart finds the value already there.
            let ssm = await ssm(context)
            let current = try await aws("reading \(key)") { try await ssm.parameterIfPresent(key) }
            if current?.value != endpoint {
                try await aws("writing the endpoint of \(progress.cluster) to \(key)") { try await ssm.putParameter(key, value: endpoint) }
            }
            return .succeeded(message: "\(progress.cluster) is available in \(context.actingRegion); its endpoint is in \(key)")
        case "create-failed", "deleting":
            return .failed(reason: "the restore of \(progress.cluster) ended \(cluster.status)", code: "RestoreFailed")
        default:
            return .inProgress(message: "\(progress.cluster) is \(cluster.status)", nextPoll: .seconds(30))
        }
    }
}
