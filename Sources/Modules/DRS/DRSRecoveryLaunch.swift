import AWS
import Engine
import LifeboatAPI

/// Activate: recovery (or drill) launches in batches within DRS's quotas — at most
/// `MaxServersPerJob` (≤ 100) servers per job, at most 20 jobs active in the account and
/// region, at most 500 servers across active jobs. Every job is tagged with the execution,
/// plan, resource and batch, so a restarted run finds its jobs instead of launching again;
/// batches that do not fit the quota yet are started by later polls.
struct DRSRecoveryLaunch: Sendable {
    static let maxActiveJobs = 20
    static let maxServersInActiveJobs = 500
    static let batchTag = "lifeboat.dev/batch"

    struct Batch: Codable, Sendable, Hashable {
        var index: Int
        var servers: [String]
        var jobID: String?
    }

    struct ServerResult: Codable, Sendable, Hashable {
        var sourceServerID: String
        var hostname: String?
        var launchStatus: String
        var recoveryInstanceID: String?
        var ec2InstanceID: String?
        var privateIP: String?
    }

    struct Progress: Checkpoint {
        var action: String = "launch"
        var region: String
        var isDrill: Bool
        var batches: [Batch]
        var servers: [ServerResult]
    }

    let api: DRS
    let context: ModuleContext

    /// `JobTags` (the enterprise module's `Tags`: extra tags for each job) under Lifeboat's own,
    /// which validation keeps them from overriding and which a restart finds its jobs by.
    func tags(batch: Int) -> [String: String] {
        var tags = ModuleParameters(object: context.parameters.objectValue ?? [:], path: .root).stringMap("JobTags") ?? [:]
        tags.merge(IdempotencyTags.of(context)) { _, ours in ours }
        tags[Self.batchTag] = String(batch + 1)
        return tags
    }

    /// This execution's LAUNCH jobs among `jobs`, by batch index.
    func ours(_ jobs: [DRS.Job]) -> [Int: DRS.Job] {
        var byBatch: [Int: DRS.Job] = [:]
        for job in jobs where job.type == "LAUNCH" && IdempotencyTags.isOurs(job.tags, context) {
            if let batch = job.tags[Self.batchTag].flatMap({ Int($0) }) { byBatch[batch - 1] = job }
        }
        return byBatch
    }

    func listJobs() async throws(ModuleError) -> [DRS.Job] {
        try await aws("listing DRS jobs") { try await api.describeJobs() }
    }

    /// Plans the batches and starts (or adopts) as many as the quotas allow. Servers already in
    /// one of this execution's jobs (a run restarted after StartRecovery) keep that job, even if
    /// the selection changed since: nothing is launched twice.
    func start(servers: [DRS.SourceServer], maxPerJob: Int, region: String) async throws(ModuleError) -> Progress {
        let jobs = try await listJobs()
        let existing = ours(jobs)
        var batches = existing.keys.sorted().map { index in
            Batch(index: index, servers: existing[index]!.participants.map(\.sourceServerID), jobID: existing[index]!.id)
        }
        let covered = Set(batches.flatMap(\.servers))
        let remaining = servers.map(\.id).filter { !covered.contains($0) }
        try await refuseReplacingRecoveryInstances(of: servers.filter { remaining.contains($0.id) })
        let firstIndex = (existing.keys.max() ?? -1) + 1
        for (offset, start) in stride(from: 0, to: remaining.count, by: maxPerJob).enumerated() {
            batches.append(Batch(index: firstIndex + offset, servers: Array(remaining[start..<min(start + maxPerJob, remaining.count)])))
        }
        var results = servers.map { ServerResult(sourceServerID: $0.id, hostname: $0.hostname, launchStatus: "PENDING") }
        for id in covered where !results.contains(where: { $0.sourceServerID == id }) {
            results.append(ServerResult(sourceServerID: id, launchStatus: "PENDING"))
        }
        var progress = Progress(region: region, isDrill: context.mode == .drill, batches: batches, servers: results)
        try await startDueBatches(&progress, jobs: jobs)
        return progress
    }

    /// A server keeps one recovery instance: launching it again replaces the one it has. When
    /// that one came from a recovery (not a drill) it may be what serves production now, so
    /// neither a drill nor a second recovery may replace it.
    func refuseReplacingRecoveryInstances(of servers: [DRS.SourceServer]) async throws(ModuleError) {
        guard !servers.isEmpty else { return }
        let instances = try await aws("reading recovery instances") { try await api.describeRecoveryInstances(sourceServerIDs: servers.map(\.id)) }
        let live = instances.filter { !$0.isDrill && $0.ec2InstanceState != "TERMINATED" && $0.ec2InstanceState != "SHUTTING-DOWN" }
        guard !live.isEmpty else { return }
        let names = live.map { instance in
            let server = servers.first { $0.id == instance.sourceServerID }
            return "\(server.map(DRSServerSelection.label) ?? instance.sourceServerID ?? "?") has recovery instance \(instance.id) from a recovery"
        }
        throw .permanent(names.joined(separator: "; ") + "; launching again would replace it (it may be serving production). "
                         + "Terminate it in DRS first, or leave the server out of this resource", code: "RecoveryInstanceExists")
    }

    /// Adopts jobs found by tag (a poll whose answer was lost may have started one), then starts
    /// unstarted batches while the quotas allow. `jobs` is a listing the caller already has.
    func startDueBatches(_ progress: inout Progress, jobs known: [DRS.Job]? = nil) async throws(ModuleError) {
        guard progress.batches.contains(where: { $0.jobID == nil }) else { return }
        let jobs: [DRS.Job]
        if let known { jobs = known } else { jobs = try await listJobs() }
        let found = ours(jobs)
        for position in progress.batches.indices where progress.batches[position].jobID == nil {
            progress.batches[position].jobID = found[progress.batches[position].index]?.id
        }
        guard progress.batches.contains(where: { $0.jobID == nil }) else { return }
        let active = jobs.filter(\.isActive)
        var activeJobs = active.count
        var activeServers = active.map(\.participants.count).reduce(0, +)
        for position in progress.batches.indices where progress.batches[position].jobID == nil {
            let batch = progress.batches[position]
            guard activeJobs < Self.maxActiveJobs, activeServers + batch.servers.count <= Self.maxServersInActiveJobs else { break }
            context.logger.info("starting drs recovery", ["batch": .int(batch.index + 1), "servers": .int(batch.servers.count),
                                                          "drill": .bool(progress.isDrill)])
            let job = try await aws("starting \(progress.isDrill ? "a drill" : "a recovery") for batch \(batch.index + 1)") {
                try await api.startRecovery(sourceServerIDs: batch.servers, isDrill: progress.isDrill, tags: tags(batch: batch.index))
            }
            progress.batches[position].jobID = job.id
            activeJobs += 1
            activeServers += batch.servers.count
        }
    }

    func check(_ checkpoint: Progress) async throws(ModuleError) -> CheckResult {
        var progress = checkpoint
        let failedSoFar = progress.servers.contains { $0.launchStatus == "FAILED" || $0.launchStatus == "TERMINATED" }
        if !failedSoFar { try await startDueBatches(&progress) }
        let jobIDs = progress.batches.compactMap(\.jobID)
        let jobs = jobIDs.isEmpty ? [] : try await aws("reading DRS jobs") { try await api.describeJobs(ids: jobIDs) }
        for id in jobIDs where !jobs.contains(where: { $0.id == id }) {
            return .failed(reason: "DRS job \(id) no longer exists", code: "JobNotFound")
        }
        var index: [String: Int] = [:]
        for (position, server) in progress.servers.enumerated() { index[server.sourceServerID] = position }
        for job in jobs {
            for participant in job.participants {
                guard let position = index[participant.sourceServerID] else { continue }
                progress.servers[position].launchStatus = participant.launchStatus
                if let id = participant.recoveryInstanceID { progress.servers[position].recoveryInstanceID = id }
                // A job that finished without finishing a server left it unlaunched.
                if job.status == "COMPLETED", !["LAUNCHED", "FAILED", "TERMINATED"].contains(participant.launchStatus) {
                    progress.servers[position].launchStatus = "FAILED"
                }
            }
        }
        try await fillInstanceDetails(&progress)

        let failed = progress.servers.filter { $0.launchStatus == "FAILED" || $0.launchStatus == "TERMINATED" }
        let launched = progress.servers.filter { $0.launchStatus == "LAUNCHED" }
        let running = jobs.filter(\.isActive)
        let unstarted = progress.batches.filter { $0.jobID == nil }
        let kind = progress.isDrill ? "drill" : "recovery"
        if !failed.isEmpty && running.isEmpty {
            let names = failed.map { ($0.hostname ?? $0.sourceServerID) + " " + $0.launchStatus }.joined(separator: ", ")
            let notStarted = unstarted.map(\.servers.count).reduce(0, +)
            return .failed(reason: "\(failed.count) of \(progress.servers.count) server(s) did not launch: \(names)"
                           + (notStarted > 0 ? "; \(notStarted) server(s) in later batches were not launched" : "")
                           + "; \(launched.count) launched", code: "LaunchFailed")
        }
        if unstarted.isEmpty && running.isEmpty && launched.count == progress.servers.count {
            let list = launched.map { "\($0.hostname ?? $0.sourceServerID) → \($0.ec2InstanceID ?? $0.recoveryInstanceID ?? "?")" + ($0.privateIP.map { " \($0)" } ?? "") }
            return .succeeded(message: "launched \(launched.count) \(kind) instance(s): " + list.joined(separator: ", "), checkpoint: progress.json)
        }
        var parts = ["\(launched.count)/\(progress.servers.count) launched"]
        let inFlight = progress.servers.filter { $0.launchStatus == "PENDING" || $0.launchStatus == "IN_PROGRESS" }.count
        if inFlight > 0 { parts.append("\(inFlight) in progress") }
        if !failed.isEmpty { parts.append("\(failed.count) failed") }
        if !unstarted.isEmpty { parts.append("\(unstarted.count) batch(es) waiting for the DRS job quota") }
        parts.append("\(running.count) job(s) running")
        return .inProgress(message: "\(kind): " + parts.joined(separator: ", "), nextPoll: .seconds(30), checkpoint: progress.json)
    }

    /// Recovery instance ids, EC2 instance ids and private addresses of launched servers.
    private func fillInstanceDetails(_ progress: inout Progress) async throws(ModuleError) {
        let missing = progress.servers.filter { $0.launchStatus == "LAUNCHED" && $0.recoveryInstanceID != nil && $0.ec2InstanceID == nil }
        guard !missing.isEmpty else { return }
        let instances = try await aws("reading recovery instances") {
            try await api.describeRecoveryInstances(ids: missing.compactMap(\.recoveryInstanceID))
        }
        for position in progress.servers.indices {
            guard let instance = instances.first(where: { $0.id == progress.servers[position].recoveryInstanceID }) else { continue }
            progress.servers[position].ec2InstanceID = instance.ec2InstanceID
            progress.servers[position].privateIP = instance.privateIP
        }
    }
}
