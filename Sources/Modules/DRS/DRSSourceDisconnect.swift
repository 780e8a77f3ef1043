import AWS
import Engine

/// Recovery Cleanup with `DisconnectSource: true`: the old source servers stop replicating and
/// are disconnected from DRS, so the failed-over workload is not overwritten or billed twice.
struct DRSSourceDisconnect: Sendable {
    struct Progress: Checkpoint {
        var action: String = "disconnect"
        var region: String
        var sourceServers: [String]
    }

    let api: DRS
    let context: ModuleContext

    static let replicating: Set<String> = ["INITIATING", "INITIAL_SYNC", "BACKLOG", "CREATING_SNAPSHOT", "CONTINUOUS", "PAUSED", "RESCAN", "STALLED"]

    func start(_ servers: [DRS.SourceServer], region: String) async throws(ModuleError) -> StartResult {
        var acted: [String] = []
        for server in servers where server.replicationState != "DISCONNECTED" {
            let label = DRSServerSelection.label(server)
            if Self.replicating.contains(server.replicationState ?? "") {
                try await aws("stopping replication of \(label)") { try await api.stopReplication(sourceServerID: server.id) }
            }
            try await aws("disconnecting \(label)") { try await api.disconnectSourceServer(sourceServerID: server.id) }
            acted.append(label)
        }
        let message = acted.isEmpty ? "every source server is already disconnected" : "disconnected " + acted.joined(separator: ", ")
        return StartResult(checkpoint: Progress(region: region, sourceServers: servers.map(\.id)).json, message: message)
    }

    func check(_ progress: Progress) async throws(ModuleError) -> CheckResult {
        let servers = try await aws("reading source servers") { try await api.describeSourceServers(ids: progress.sourceServers) }
        let connected = servers.filter { $0.replicationState != "DISCONNECTED" }
        if connected.isEmpty { return .succeeded(message: "\(progress.sourceServers.count) source server(s) disconnected") }
        return .inProgress(message: "waiting for " + connected.map { "\(DRSServerSelection.label($0)) \($0.replicationState ?? "?")" }.joined(separator: ", "),
                           nextPoll: .seconds(15))
    }
}
