import AWS
import Engine

/// Replicate: reverse replication from each selected server's recovery instance back towards
/// the old primary region (failback preparation). The reversed source servers live in that
/// region; they are read there only when the execution may call it (Graceful).
struct DRSReverseReplication: Sendable {
    struct Reversal: Codable, Sendable, Hashable {
        var sourceServerID: String
        var recoveryInstanceID: String
        var reversedSourceServerArn: String?
    }

    struct Progress: Checkpoint {
        var action: String = "reverse-replication"
        var region: String
        var servers: [Reversal]
    }

    let api: DRS
    let context: ModuleContext
    let peerAPI: DRS?

    static let started: Set<String> = ["INITIAL_SYNC", "BACKLOG", "CREATING_SNAPSHOT", "CONTINUOUS", "RESCAN"]
    static let broken: Set<String> = ["STALLED", "DISCONNECTED", "STOPPED"]

    func start(_ servers: [DRS.SourceServer], region: String) async throws(ModuleError) -> StartResult {
        let instances = try await aws("reading recovery instances") { try await api.describeRecoveryInstances(sourceServerIDs: servers.map(\.id)) }
        var reversals: [Reversal] = []
        var started: [String] = []
        for server in servers {
            let label = DRSServerSelection.label(server)
            // Never a drill instance: replicating a drill back would overwrite the real primary.
            guard let instance = instances.first(where: { $0.sourceServerID == server.id && !$0.isDrill && $0.ec2InstanceState != "TERMINATED" }) else {
                throw .permanent("\(label) has no recovery instance from a recovery in \(region); run Activate (Recovery) first", code: "RecoveryInstanceNotFound")
            }
            if let arn = server.reversedDirectionSourceServerArn {
                reversals.append(Reversal(sourceServerID: server.id, recoveryInstanceID: instance.id, reversedSourceServerArn: arn))
                continue
            }
            context.logger.info("starting reverse replication", ["recoveryInstance": .string(instance.id)])
            let arn = try await aws("starting reverse replication from \(instance.id) (\(label))") {
                try await api.reverseReplication(recoveryInstanceID: instance.id)
            }
            reversals.append(Reversal(sourceServerID: server.id, recoveryInstanceID: instance.id, reversedSourceServerArn: arn))
            started.append(label)
        }
        let message = started.isEmpty ? "reverse replication already started for every server" : "reverse replication started for " + started.joined(separator: ", ")
        return StartResult(checkpoint: Progress(region: region, servers: reversals).json, message: message)
    }

    func check(_ progress: Progress) async throws(ModuleError) -> CheckResult {
        let arns = progress.servers.compactMap(\.reversedSourceServerArn)
        guard let peerAPI, !arns.isEmpty else {
            return .succeeded(message: "reverse replication requested for \(progress.servers.count) server(s) (not read back: an Ungraceful execution never calls \(context.peerRegion))")
        }
        let ids = arns.compactMap { $0.split(separator: "/").last.map(String.init) }
        let servers = try await aws("reading reversed source servers in \(context.peerRegion)") { try await peerAPI.describeSourceServers(ids: ids) }
        var waiting: [String] = []
        for id in ids {
            guard let server = servers.first(where: { $0.id == id }) else {
                waiting.append("\(id) not visible yet")
                continue
            }
            let state = server.replicationState ?? "UNKNOWN"
            if Self.broken.contains(state) {
                return .failed(reason: "reverse replication of \(DRSServerSelection.label(server)) is \(state)", code: "ReplicationStalled")
            }
            if !Self.started.contains(state) { waiting.append("\(DRSServerSelection.label(server)) \(state)") }
        }
        if waiting.isEmpty { return .succeeded(message: "reverse replication running for \(ids.count) server(s) towards \(context.peerRegion)") }
        return .inProgress(message: "waiting for reverse replication: " + waiting.joined(separator: ", "), nextPoll: .seconds(30))
    }
}
