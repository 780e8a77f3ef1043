import AWS
import Engine

/// Drill Cleanup: terminates exactly the recovery instances that this plan's drills of this
/// resource launched — found through the drill jobs' tags, and only those DRS marks `isDrill`.
/// A recovery instance of a real recovery is never touched.
struct DRSDrillCleanup: Sendable {
    struct Progress: Checkpoint {
        var action: String = "terminate-drill"
        var region: String
        var jobID: String?
        var recoveryInstances: [String]
    }

    let api: DRS
    let context: ModuleContext

    /// The live drill instances this resource launched.
    func drillInstances() async throws(ModuleError) -> [DRS.RecoveryInstance] {
        let jobs = try await aws("listing DRS jobs") { try await api.describeJobs() }
        let launchedBy = Set(jobs.filter { $0.type == "LAUNCH" && $0.initiatedBy == "START_DRILL" && IdempotencyTags.isThisResource($0.tags, context) }.map(\.id))
        guard !launchedBy.isEmpty else { return [] }
        let instances = try await aws("reading recovery instances") { try await api.describeRecoveryInstances() }
        return instances.filter { instance in
            instance.isDrill && instance.jobID.map(launchedBy.contains) == true && instance.ec2InstanceState != "TERMINATED"
        }
    }

    func start(region: String) async throws(ModuleError) -> StartResult {
        let instances = try await drillInstances()
        let ids = instances.map(\.id).sorted()
        guard !ids.isEmpty else {
            return StartResult(checkpoint: Progress(region: region, recoveryInstances: []).json,
                               message: "no drill instances of this plan's \(context.resourceName) are left in \(region)")
        }
        // A termination already under way for these instances (a restarted run) is adopted.
        let jobs = try await aws("listing DRS jobs") { try await api.describeJobs() }
        if let running = jobs.first(where: { $0.type == "TERMINATE" && $0.isActive && Set($0.participants.compactMap(\.recoveryInstanceID)).isSuperset(of: ids) }) {
            return StartResult(checkpoint: Progress(region: region, jobID: running.id, recoveryInstances: ids).json,
                               message: "adopted termination job \(running.id) of \(ids.count) drill instance(s)")
        }
        context.logger.info("terminating drs drill instances", ["count": .int(ids.count)])
        let job = try await aws("terminating \(ids.count) drill instance(s)") { try await api.terminateRecoveryInstances(ids: ids) }
        return StartResult(checkpoint: Progress(region: region, jobID: job.id, recoveryInstances: ids).json,
                           message: "terminating \(ids.count) drill instance(s): \(ids.joined(separator: ", "))")
    }

    func check(_ progress: Progress) async throws(ModuleError) -> CheckResult {
        guard let jobID = progress.jobID else { return .succeeded(message: "nothing to terminate") }
        guard let job = try await aws("reading DRS job \(jobID)", { try await api.describeJobs(ids: [jobID]) }).first else {
            return .failed(reason: "DRS termination job \(jobID) no longer exists", code: "JobNotFound")
        }
        let failed = job.participants.filter { $0.launchStatus == "FAILED" }
        if !failed.isEmpty && !job.isActive {
            return .failed(reason: "DRS could not terminate \(failed.compactMap(\.recoveryInstanceID).joined(separator: ", "))", code: "TerminateFailed")
        }
        let done = job.participants.filter { $0.launchStatus == "TERMINATED" }.count
        if !job.isActive && done == job.participants.count {
            return .succeeded(message: "terminated \(done) drill instance(s)")
        }
        if !job.isActive {
            return .failed(reason: "termination job \(jobID) completed with \(job.participants.count - done) instance(s) not terminated", code: "TerminateFailed")
        }
        return .inProgress(message: "terminating drill instances: \(done)/\(job.participants.count) done", nextPoll: .seconds(20))
    }
}
