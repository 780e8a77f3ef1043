import AWS
import Engine
import LifeboatAPI
import YAML

/// AWS Elastic Disaster Recovery (MODULES.md). DRS lives in the recovery region — where the
/// source servers replicate to and recovery instances launch — which is the acting region of
/// Activate and Replicate and the peer region of Cleanup (Cleanup acts on the old primary, but
/// the drill instances and the old source servers are known to DRS in the recovery region).
///
/// - Activate: source servers by id, host name or tags; launch settings applied; StartRecovery
///   (`isDrill` from the execution mode) in tagged batches within DRS's quotas.
/// - Cleanup: a Drill terminates the drill instances this resource launched; a Recovery
///   disconnects the old source servers when `DisconnectSource: true`.
/// - Replicate: ReverseReplication from each recovery instance.
public struct DRSModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .drs) }

    /// Where DRS is called: the recovery region, where the recovery (or drill) instances run. A
    /// Recovery Cleanup acts in the old primary, so that is its peer; every drill phase acts in
    /// the standby, which is the recovery region.
    static func region(_ context: ModuleContext) -> String {
        context.phase == .cleanup && context.mode == .recovery ? context.peerRegion : context.actingRegion
    }

    private struct Setup {
        var parameters: ModuleParameters
        var region: String
        var drs: DRS
        var ec2: EC2
        var servers: [DRS.SourceServer]
    }

    private func setup(_ context: ModuleContext) async throws(ModuleError) -> Setup {
        let parameters = try ModuleParameters(context, descriptor)
        let region = Self.region(context)
        let client = await clients.client(for: context, region: region)
        let api = DRS(client)
        let all = try await aws("listing DRS source servers in \(region)") { try await api.describeSourceServers() }
        let servers = try DRSServerSelection.select(parameters, from: all, region: region)
        return Setup(parameters: parameters, region: region, drs: api, ec2: EC2(client), servers: servers)
    }

    // MARK: Preflight

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let setup = try await setup(context)
        var findings: [PreflightReport.Finding] = setup.servers.map { server in
            let state = server.replicationState ?? "UNKNOWN"
            let lag = server.lagDuration.map { ", lag \($0)" } ?? ""
            let severity: PreflightReport.Finding.Severity = context.phase == .activate && DRSServerSelection.unlaunchableStates.contains(state) ? .blocking
                : DRSServerSelection.degradedStates.contains(state) ? .warning : .ok
            return .init(severity, "\(DRSServerSelection.label(server)): replication \(state)\(lag)")
        }
        switch context.phase {
        case .activate:
            let jobs = try await aws("listing DRS jobs") { try await setup.drs.describeJobs() }
            let active = jobs.filter(\.isActive)
            let busy = Set(active.flatMap { $0.participants.map(\.sourceServerID) })
            for server in setup.servers where busy.contains(server.id) {
                findings.append(.init(.warning, "\(DRSServerSelection.label(server)) is already in an active DRS job"))
            }
            let perJob = max(setup.parameters.int("MaxServersPerJob") ?? 100, 1)
            let batches = (setup.servers.count + perJob - 1) / perJob
            findings.append(.init(.ok, "\(setup.servers.count) server(s) in \(batches) job(s); \(active.count) of \(DRSRecoveryLaunch.maxActiveJobs) DRS jobs active in \(setup.region)"))
            do throws(ModuleError) {
                try await DRSRecoveryLaunch(api: setup.drs, context: context).refuseReplacingRecoveryInstances(of: setup.servers)
            } catch where error.code == "RecoveryInstanceExists" {
                findings.append(.init(.blocking, error.message))
            }
            let leftovers = try await DRSDrillCleanup(api: setup.drs, context: context).drillInstances()
            if !leftovers.isEmpty {
                findings.append(.init(.warning, "\(leftovers.count) recovery instance(s) from earlier drills of this resource are still running; a drill Cleanup terminates them"))
            }
        case .cleanup where context.mode == .drill:
            let instances = try await DRSDrillCleanup(api: setup.drs, context: context).drillInstances()
            findings.append(.init(.ok, "\(instances.count) drill instance(s) to terminate in \(setup.region)"))
        case .cleanup:
            findings.append(.init(.ok, setup.parameters.bool("DisconnectSource") == true
                                  ? "would disconnect \(setup.servers.count) source server(s)" : "DisconnectSource is false: nothing to clean up"))
        case .replicate:
            let instances = try await aws("reading recovery instances") { try await setup.drs.describeRecoveryInstances(sourceServerIDs: setup.servers.map(\.id)) }
            for server in setup.servers where !instances.contains(where: { $0.sourceServerID == server.id && !$0.isDrill }) {
                // A drill launches only drill instances, which are never reversed: their absence blocks only a recovery.
                findings.append(context.mode == .drill
                                ? .init(.ok, "\(DRSServerSelection.label(server)) has no recovery instance from a recovery (a drill launches none); after a recovery's Activate, Replicate reverses its replication")
                                : .init(.blocking, "\(DRSServerSelection.label(server)) has no recovery instance from a recovery"))
            }
        case .instantiate:
            break
        }
        return PreflightReport(findings: findings)
    }

    // MARK: Start

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let setup = try await setup(context)
        switch context.phase {
        case .activate:
            let unlaunchable = setup.servers.filter { DRSServerSelection.unlaunchableStates.contains($0.replicationState ?? "") }
            if !unlaunchable.isEmpty {
                throw .permanent("cannot launch from " + unlaunchable.map { "\(DRSServerSelection.label($0)) (replication \($0.replicationState ?? "?"))" }.joined(separator: ", "),
                                 code: "ReplicationNotReady")
            }
            var changes: [String] = []
            for server in setup.servers {
                changes += try await DRSLaunchSettings.effective(for: server, setup.parameters).apply(to: server, drsAPI: setup.drs, ec2API: setup.ec2)
            }
            let launch = DRSRecoveryLaunch(api: setup.drs, context: context)
            let progress = try await launch.start(servers: setup.servers, maxPerJob: setup.parameters.int("MaxServersPerJob") ?? 100, region: setup.region)
            let started = progress.batches.filter { $0.jobID != nil }
            var message = "\(progress.isDrill ? "drill" : "recovery") of \(progress.servers.count) server(s): \(started.count)/\(progress.batches.count) job(s) "
                + started.compactMap(\.jobID).joined(separator: ", ")
            if !changes.isEmpty { message += "; launch settings: " + changes.joined(separator: "; ") }
            return StartResult(checkpoint: progress.json, message: message)
        case .cleanup where context.mode == .drill:
            return try await DRSDrillCleanup(api: setup.drs, context: context).start(region: setup.region)
        case .cleanup:
            guard setup.parameters.bool("DisconnectSource") == true else {
                return StartResult(checkpoint: ["action": "none"],
                                   message: "DisconnectSource is false: the old source servers keep their DRS replication")
            }
            return try await DRSSourceDisconnect(api: setup.drs, context: context).start(setup.servers, region: setup.region)
        case .replicate:
            return try await DRSReverseReplication(api: setup.drs, context: context, peerAPI: nil).start(setup.servers, region: setup.region)
        case .instantiate:
            throw .permanent("DRS has no Instantiate action: replication to the staging area is already the pre-warmed standby", code: "PhaseNotSupported")
        }
    }

    // MARK: Check

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let action = checkpoint["action"]?.stringValue ?? ""
        let region = checkpoint["region"]?.stringValue ?? Self.region(context)
        let api = DRS(await clients.client(for: context, region: region))
        switch action {
        case "launch":
            return try await DRSRecoveryLaunch(api: api, context: context).check(try DRSRecoveryLaunch.Progress.decode(checkpoint, module: "DRS"))
        case "terminate-drill":
            return try await DRSDrillCleanup(api: api, context: context).check(try DRSDrillCleanup.Progress.decode(checkpoint, module: "DRS"))
        case "disconnect":
            return try await DRSSourceDisconnect(api: api, context: context).check(try DRSSourceDisconnect.Progress.decode(checkpoint, module: "DRS"))
        case "reverse-replication":
            let peer = context.mayCallPeerRegion ? DRS(await clients.client(for: context, region: context.peerRegion)) : nil
            return try await DRSReverseReplication(api: api, context: context, peerAPI: peer)
                .check(try DRSReverseReplication.Progress.decode(checkpoint, module: "DRS"))
        case "none":
            return .succeeded(message: "nothing to do")
        default:
            throw .permanent("the DRS checkpoint in status names no known action (\(action)); retry the resource to start it again", code: "BadCheckpoint")
        }
    }
}
