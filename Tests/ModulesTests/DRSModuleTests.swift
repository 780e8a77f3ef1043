import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// DRSModule against the emulator's DRS. Each test seeds source servers of its own (unique host
/// names and tags) in the seeded application's recovery subnet, so tests never share servers.
@Suite(.serialized) struct DRSModuleTests {
    let module: DRSModule
    let app: App

    init() async throws {
        app = try await Emulator.app("drs")
        module = DRSModule(clients: try Emulator.clients())
    }

    static let mutating = ["drs:StartRecovery", "drs:UpdateLaunchConfiguration", "drs:TerminateRecoveryInstances", "drs:ReverseReplication",
                           "drs:StopReplication", "drs:DisconnectSourceServer", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]

    struct Seeded {
        var ids: [String]
        var hosts: [String]
        var tag: String
    }

    /// Source servers of this test only, tagged App=<tag>.
    func seed(_ count: Int, state: String = "CONTINUOUS") async throws -> Seeded {
        let tag = Emulator.unique("app")
        let hosts = (1...count).map { "\(tag)-host-\($0)" }
        let ids = try await Emulator.seedSourceServers(hosts.map { host in
            ["hostname": host, "tags": ["App": tag, "Tier": "legacy"], "replicationState": state, "lagDuration": "PT2S",
             "sourceRegion": Emulator.east, "subnetId": app.subnet(Emulator.west), "instanceType": "m5.large"] as [String: Any]
        })
        #expect(ids.count == count)
        return Seeded(ids: ids, hosts: hosts, tag: tag)
    }

    func drs(_ region: String = Emulator.west) async throws -> DRS { DRS(try await Emulator.client(region: region)) }

    func mutatingCalls(_ before: [String: Int]) async throws -> [String: Int] {
        Emulator.delta(before, try await Emulator.stats()).filter { Self.mutating.contains($0.key) }
    }

    static func servers(_ checkpoint: JSONValue) -> [JSONObject] {
        (checkpoint["servers"]?.arrayValue ?? []).compactMap(\.objectValue)
    }

    // MARK: Selection (preflight: read-only)

    @Test func tagSelectionIsAndOverTrimmedKeysAndCaseInsensitiveTrimmedValues() async throws {
        let before = try await Emulator.stats()
        // The seed wrote one App value as " <p>Payments "; billing's server has another App value.
        let context = Emulator.context(.activate, mode: .drill, parameters: ["Tags": [" App ": .string(" \(app.prefix.uppercased())PAYMENTS"), "Tier": "legacy "]])
        let report = try await module.preflight(context)
        #expect(report.passed, "\(report.summary)")
        let text = report.findings.map(\.message).joined(separator: "\n")
        for host in ["legacy-app-1", "legacy-app-2", "legacy-db-1"] {
            #expect(text.contains(app.hostName(host)), "\(host) not selected: \(text)")
        }
        #expect(!text.contains(app.hostName("other-app-1")))
        #expect(text.contains("3 server(s) in 1 job(s)"))

        // AND: a second tag nobody carries selects nothing, which is an error naming the selector.
        let none = Emulator.context(.activate, parameters: ["Tags": ["App": .string(app.prefix + "payments"), "Tier": "web"]])
        let error = await Emulator.error { try await module.preflight(none) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "ResourceNotFoundException")
        #expect(try await mutatingCalls(before).isEmpty)
    }

    @Test func selectionByHostNamesAndBySourceServerIds() async throws {
        let byHost = try await module.preflight(Emulator.context(.activate, parameters: ["HostNames": [.string(" " + app.hostName("legacy-app-1").uppercased())]]))
        #expect(byHost.findings.contains { $0.message.contains(app.drsServer("legacy-app-1")) })
        #expect(!byHost.findings.contains { $0.message.contains(app.drsServer("legacy-app-2")) })
        let byID = try await module.preflight(Emulator.context(.activate, parameters: ["SourceServerIds": [.string(app.drsServer("legacy-db-1"))]]))
        #expect(byID.findings.contains { $0.message.contains(app.hostName("legacy-db-1")) && $0.message.contains("CONTINUOUS") })
        #expect(byID.findings.contains { $0.message.contains("1 server(s) in 1 job(s)") })
    }

    @Test func preflightBlocksServerWithStoppedReplicationAndStartRefusesIt() async throws {
        let servers = try await seed(1, state: "STOPPED")
        let before = try await Emulator.stats()
        let context = Emulator.context(.activate, parameters: ["Tags": ["App": .string(servers.tag)]])
        let report = try await module.preflight(context)
        #expect(!report.passed)
        #expect(report.findings.contains { $0.severity == .blocking && $0.message.contains(servers.hosts[0]) && $0.message.contains("STOPPED") })
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "ReplicationNotReady")
        #expect(try await mutatingCalls(before).isEmpty)
    }

    @Test func unknownSourceServerIsPermanentWithoutMutatingCalls() async throws {
        let before = try await Emulator.stats()
        let context = Emulator.context(.activate, parameters: ["SourceServerIds": ["s-0123456789abcdef0"]])
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "ResourceNotFoundException")
        #expect(error?.message.contains("s-0123456789abcdef0") == true)
        #expect(try await mutatingCalls(before).isEmpty)
    }

    @Test func instantiateIsNotADRSPhase() async throws {
        let servers = try await seed(1)
        let error = await Emulator.error { try await module.start(Emulator.context(.instantiate, parameters: ["Tags": ["App": .string(servers.tag)]])) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "PhaseNotSupported")
    }

    // MARK: Activate

    @Test(arguments: [ExecutionMode.drill, .recovery])
    func activateLaunchesAndRecordsPerServerResults(mode: ExecutionMode) async throws {
        let servers = try await seed(2)
        let before = try await Emulator.stats()
        let context = Emulator.context(.activate, mode: mode, parameters: ["HostNames": .array(servers.hosts.map { .string($0) })])
        let (started, result, checkpoint) = try await Emulator.run(module, context)
        #expect(started.message?.contains(mode == .drill ? "drill of 2 server(s)" : "recovery of 2 server(s)") == true)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["drs:StartRecovery": 1])

        // The job and the recovery instances show drill or recovery as DRS sees it.
        let api = try await drs()
        let jobID = try #require(checkpoint["batches"]?.arrayValue?.first?["jobID"]?.stringValue)
        let job = try #require(try await api.describeJobs(ids: [jobID]).first)
        #expect(job.initiatedBy == (mode == .drill ? "START_DRILL" : "START_RECOVERY"))
        #expect(job.tags["lifeboat.dev/execution"] == context.executionUID)
        #expect(job.tags["lifeboat.dev/resource"] == context.resourceName)
        let instances = try await api.describeRecoveryInstances(sourceServerIDs: servers.ids)
        #expect(instances.count == 2)
        #expect(instances.allSatisfy { $0.isDrill == (mode == .drill) })

        // Per-server results in the succeeded checkpoint match EC2.
        let results = Self.servers(checkpoint)
        #expect(Set(results.compactMap { $0["sourceServerID"]?.stringValue }) == Set(servers.ids))
        let ec2 = EC2(try await Emulator.client(region: Emulator.west))
        for server in results {
            #expect(server["launchStatus"]?.stringValue == "LAUNCHED")
            let recovery = try #require(instances.first { $0.id == server["recoveryInstanceID"]?.stringValue })
            let ec2ID = try #require(server["ec2InstanceID"]?.stringValue)
            #expect(recovery.ec2InstanceID == ec2ID)
            let instance = try #require(try await ec2.describeInstances(ids: [ec2ID]).first)
            #expect(instance.state == "running")
            #expect(instance.privateIP != nil)
            #expect(server["privateIP"]?.stringValue == instance.privateIP)
        }
    }

    @Test func startTwiceAfterACrashAdoptsTheJob() async throws {
        let servers = try await seed(2)
        let before = try await Emulator.stats()
        let context = Emulator.context(.activate, mode: .drill, parameters: ["Tags": ["App": .string(servers.tag)]])
        let first = try await module.start(context)
        let second = try await module.start(context)   // the controller restarted before writing the checkpoint
        #expect(try await mutatingCalls(before) == ["drs:StartRecovery": 1])
        #expect(first.checkpoint["batches"] == second.checkpoint["batches"])
        let (result, _) = try await Emulator.poll(module, context, second.checkpoint)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["drs:StartRecovery": 1])
    }

    @Test func launchSettingsAndStaticPrivateIpAreAppliedOnce() async throws {
        let servers = try await seed(2)
        let cidr = try await Emulator.boto("out = aws('ec2', 'us-west-2').describe_subnets(SubnetIds=['\(app.subnet(Emulator.west))'])['Subnets'][0]['CidrBlock']") as? String
        let base = try #require(cidr?.split(separator: "/").first?.split(separator: ".").prefix(3).joined(separator: "."))
        let staticIP = "\(base).77"
        let parameters: JSONValue = [
            "SourceServerIds": .array(servers.ids.map { .string($0) }),
            "LaunchSettings": ["InstanceType": "c5.large", "CopyTags": false],
            "ServerOverrides": [["SourceServerId": .string(servers.ids[0]), "StaticPrivateIp": .string(staticIP), "InstanceType": "r5.large"]],
        ]
        let before = try await Emulator.stats()
        let context = Emulator.context(.activate, mode: .recovery, parameters: parameters)
        let (started, result, checkpoint) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        #expect(started.message?.contains("launch settings") == true)
        let applied = try await mutatingCalls(before)
        #expect(applied["drs:UpdateLaunchConfiguration"] == 2)   // CopyTags false on both
        #expect(applied["ec2:CreateLaunchTemplateVersion"] == 2) // instance type (and the address) on both
        #expect(applied["drs:StartRecovery"] == 1)

        let ec2 = EC2(try await Emulator.client(region: Emulator.west))
        let results = Self.servers(checkpoint)
        for (index, id) in servers.ids.enumerated() {
            let server = try #require(results.first { $0["sourceServerID"]?.stringValue == id })
            let ec2ID = try #require(server["ec2InstanceID"]?.stringValue)
            let instance = try #require(try await ec2.describeInstances(ids: [ec2ID]).first)
            #expect(instance.instanceType == (index == 0 ? "r5.large" : "c5.large"))
            if index == 0 {
                #expect(instance.privateIP == staticIP)
                #expect(server["privateIP"]?.stringValue == staticIP)
            }
        }
        let configuration = try await drs().getLaunchConfiguration(sourceServerID: servers.ids[0])
        #expect(configuration.copyTags == false)
        #expect(configuration.copyPrivateIp == false)

        // A second start (a restart) changes no setting and launches nothing new.
        let afterFirst = try await Emulator.stats()
        _ = try await module.start(context)
        #expect(try await mutatingCalls(afterFirst).isEmpty)
    }

    /// A start that ended between creating the launch template version and making it the default
    /// (the controller died there; found by Tests/operator-chaos): the next start makes that
    /// version the default instead of creating a second one.
    @Test func aVersionCreatedBeforeACrashIsMadeTheDefaultNotCreatedAgain() async throws {
        let servers = try await seed(1)
        let context = Emulator.context(.activate, mode: .recovery, parameters: [
            "SourceServerIds": .array(servers.ids.map { .string($0) }), "LaunchSettings": ["InstanceType": "c5.large"]])
        let before = try await Emulator.stats()
        let rule = try await Emulator.fault(["kind": "error", "status": 400, "code": "UnauthorizedOperation", "count": 1,
                                             "match": ["service": "ec2", "operation": "ModifyLaunchTemplate"]])
        #expect(await Emulator.error { try await module.start(context) } != nil)
        #expect(try await Emulator.faultHits(rule).hits == 1)
        #expect(try await mutatingCalls(before) == ["ec2:CreateLaunchTemplateVersion": 1, "ec2:ModifyLaunchTemplate": 1])

        let (_, result, _) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["ec2:CreateLaunchTemplateVersion": 1, "ec2:ModifyLaunchTemplate": 2,
                                                    "drs:StartRecovery": 1])
        let template = try #require(try await drs().getLaunchConfiguration(sourceServerID: servers.ids[0]).ec2LaunchTemplateID)
        let ec2 = EC2(try await Emulator.client(region: Emulator.west))
        let (defaultVersion, settings) = try await ec2.defaultLaunchTemplateVersion(template)
        #expect(settings.instanceType == "c5.large")
        #expect(try await ec2.latestLaunchTemplateVersion(template).version == defaultVersion)
    }

    /// DRS allows 20 active jobs per account and region: the 21st batch waits for a slot and a
    /// later poll starts it, once.
    @Test func aBatchBeyondTheTwentyJobQuotaStartsWhenASlotFrees() async throws {
        let servers = try await seed(21)
        // Each job stays active for 5 s (the emulator fixes a job's timeline when it starts), far
        // longer than starting 20 of them takes, so the quota is reached for sure.
        try await Emulator.config(["drs": ["launchSeconds": 5]])
        let before = try await Emulator.stats()
        let context = Emulator.context(.activate, mode: .drill, parameters: ["Tags": ["App": .string(servers.tag)], "MaxServersPerJob": 1])
        let started: StartResult
        do {
            started = try await module.start(context)
        } catch {
            try await Emulator.config(Emulator.zeroDelays)
            throw error
        }
        try await Emulator.config(Emulator.zeroDelays)   // for the 21st job and the tests after this one
        let startedJobs = (started.checkpoint["batches"]?.arrayValue ?? []).filter { $0["jobID"]?.stringValue != nil }
        #expect(startedJobs.count == 20)
        let waiting = try await module.check(context, checkpoint: started.checkpoint)
        guard case .inProgress(let message, _, let checkpoint) = waiting else { Issue.record("\(waiting)"); return }
        #expect(message.contains("1 batch(es) waiting for the DRS job quota"))
        let (result, final) = try await Emulator.poll(module, context, checkpoint ?? started.checkpoint, within: 60)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["drs:StartRecovery": 21])
        #expect((final["batches"]?.arrayValue ?? []).compactMap { $0["jobID"]?.stringValue }.count == 21)
    }

    @Test func batchesOfOneServerMakeThreeTaggedJobs() async throws {
        let servers = try await seed(3)
        let before = try await Emulator.stats()
        let context = Emulator.context(.activate, mode: .drill, parameters: ["Tags": ["App": .string(servers.tag)], "MaxServersPerJob": 1])
        let (_, result, checkpoint) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["drs:StartRecovery": 3])
        let jobIDs = (checkpoint["batches"]?.arrayValue ?? []).compactMap { $0["jobID"]?.stringValue }
        #expect(jobIDs.count == 3)
        let jobs = try await drs().describeJobs(ids: jobIDs)
        #expect(Set(jobs.compactMap { $0.tags["lifeboat.dev/batch"] }) == ["1", "2", "3"])
        #expect(jobs.allSatisfy { $0.participants.count == 1 && $0.tags["lifeboat.dev/execution"] == context.executionUID })
        #expect(Set(jobs.flatMap { $0.participants.map(\.sourceServerID) }) == Set(servers.ids))
    }

    /// The enterprise adapter selected by HostNames and passed Tags to StartRecovery as the job's
    /// tags: `JobTags` carries them to every job, under Lifeboat's own tags.
    @Test func jobTagsGoOnEveryJobBesideLifeboatsOwn() async throws {
        let servers = try await seed(2)
        let context = Emulator.context(.activate, mode: .drill, parameters: [
            "HostNames": .array(servers.hosts.map(JSONValue.string)), "JobTags": ["CostCenter": "dr", "Ticket": "CHG-7"], "MaxServersPerJob": 1])
        let (_, result, checkpoint) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        let jobIDs = (checkpoint["batches"]?.arrayValue ?? []).compactMap { $0["jobID"]?.stringValue }
        let jobs = try await drs().describeJobs(ids: jobIDs)
        #expect(jobs.count == 2)
        #expect(jobs.allSatisfy { $0.tags["CostCenter"] == "dr" && $0.tags["Ticket"] == "CHG-7" && $0.tags["lifeboat.dev/execution"] == context.executionUID })
    }

    @Test func throttledStartRecoveryIsTransientAndLaunchesOnceOnRetry() async throws {
        let servers = try await seed(1)
        let context = Emulator.context(.activate, mode: .drill, parameters: ["Tags": ["App": .string(servers.tag)]])
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "drs", operation: "StartRecovery")
        #expect(try await mutatingCalls(before)["drs:StartRecovery"] == faulted + 1)  // one call got through
        let jobs = try await drs().describeJobs().filter { $0.tags["lifeboat.dev/execution"] == context.executionUID }
        #expect(jobs.count == 1)
    }

    @Test func launchFailureFailsTheCheckNamingTheServer() async throws {
        let servers = try await seed(2)
        try await Emulator.failure(["kind": "drs-launch-failed", "sourceServerID": servers.ids[1]])
        let context = Emulator.context(.activate, mode: .drill, parameters: ["SourceServerIds": .array(servers.ids.map { .string($0) })])
        let (_, result, _) = try await Emulator.run(module, context)
        let failure = try #require(result.failure, "\(result)")
        #expect(failure.code == "LaunchFailed")
        #expect(failure.reason.contains(servers.hosts[1]))
        #expect(!failure.reason.contains(servers.hosts[0] + " FAILED"))
        #expect(failure.reason.contains("1 launched"))
    }

    // MARK: Cleanup

    @Test func drillCleanupTerminatesExactlyTheDrillInstances() async throws {
        let servers = try await seed(3)
        let plan = Emulator.unique("plan")
        // A drill of two servers and a recovery of the third, both of this plan's resource.
        let drill = Emulator.context(.activate, mode: .drill, parameters: ["SourceServerIds": .array(servers.ids.prefix(2).map { .string($0) })], plan: plan)
        let recovery = Emulator.context(.activate, mode: .recovery, parameters: ["SourceServerIds": [.string(servers.ids[2])]], plan: plan)
        #expect(try await Emulator.run(module, drill).result.isSucceeded)
        #expect(try await Emulator.run(module, recovery).result.isSucceeded)
        let api = try await drs()
        let launched = try await api.describeRecoveryInstances(sourceServerIDs: servers.ids)
        let drillIDs = Set(launched.filter(\.isDrill).map(\.id))
        let recoveryInstance = try #require(launched.first { !$0.isDrill })
        #expect(drillIDs.count == 2)

        let cleanup = Emulator.context(.cleanup, mode: .drill, parameters: ["SourceServerIds": .array(servers.ids.map { .string($0) })], plan: plan)
        let preflightBefore = try await Emulator.stats()
        let report = try await module.preflight(cleanup)
        #expect(report.findings.contains { $0.message.contains("2 drill instance(s) to terminate in us-west-2") })
        #expect(try await mutatingCalls(preflightBefore).isEmpty)

        let before = try await Emulator.stats()
        let started = try await module.start(cleanup)
        #expect(Set(started.checkpoint["recoveryInstances"]?.arrayValue?.compactMap(\.stringValue) ?? []) == drillIDs)
        _ = try await module.start(cleanup)   // a restart adopts the termination job
        let (result, _) = try await Emulator.poll(module, cleanup, started.checkpoint)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["drs:TerminateRecoveryInstances": 1])

        let left = try await api.describeRecoveryInstances(sourceServerIDs: servers.ids)
        #expect(left.map(\.id) == [recoveryInstance.id])
        let ec2 = EC2(try await Emulator.client(region: Emulator.west))
        let recoveryEC2 = try #require(recoveryInstance.ec2InstanceID)
        #expect(try await ec2.describeInstances(ids: [recoveryEC2]).first?.state == "running")
        // Another plan's cleanup of the same servers finds nothing of its own.
        let other = Emulator.context(.cleanup, mode: .drill, parameters: ["SourceServerIds": .array(servers.ids.map { .string($0) })], plan: "other-plan")
        #expect(try await module.start(other).checkpoint["recoveryInstances"]?.arrayValue?.isEmpty == true)
    }

    @Test func recoveryCleanupDisconnectsSourceServersOnlyWhenAsked() async throws {
        let servers = try await seed(2)
        let keep = Emulator.context(.cleanup, mode: .recovery, parameters: ["Tags": ["App": .string(servers.tag)]])
        let before = try await Emulator.stats()
        let (_, kept, _) = try await Emulator.run(module, keep)
        #expect(kept.isSucceeded)
        #expect(try await mutatingCalls(before).isEmpty)

        let disconnect = Emulator.context(.cleanup, mode: .recovery, parameters: ["Tags": ["App": .string(servers.tag)], "DisconnectSource": true])
        let report = try await module.preflight(disconnect)
        #expect(report.findings.contains { $0.message.contains("would disconnect 2 source server(s)") })
        let (_, result, _) = try await Emulator.run(module, disconnect)
        #expect(result.isSucceeded, "\(result)")
        _ = try await module.start(disconnect)   // again: already disconnected, nothing more
        #expect(try await mutatingCalls(before) == ["drs:StopReplication": 2, "drs:DisconnectSourceServer": 2])
        let states = try await drs().describeSourceServers(ids: servers.ids).map(\.replicationState)
        #expect(states == ["DISCONNECTED", "DISCONNECTED"])
    }

    // MARK: Replicate

    @Test func replicateReversesReplicationFromTheRecoveryInstances() async throws {
        let servers = try await seed(2)
        let parameters: JSONValue = ["Tags": ["App": .string(servers.tag)]]
        // Before any recovery there is nothing to reverse.
        let blocked = try await module.preflight(Emulator.context(.replicate, parameters: parameters))
        #expect(blocked.findings.filter { $0.severity == .blocking }.count == 2)
        // A Drill Replicate only validates, and a drill launches no recovery instance: that is no problem there.
        let drilled = try await module.preflight(Emulator.context(.replicate, mode: .drill, parameters: parameters))
        #expect(drilled.passed, "\(drilled.findings)")
        #expect(drilled.findings.filter { $0.message.hasSuffix("has no recovery instance from a recovery (a drill launches none); after a recovery's Activate, Replicate reverses its replication") }.count == 2)
        let early = await Emulator.error { try await module.start(Emulator.context(.replicate, parameters: parameters)) }
        #expect(early?.code == "RecoveryInstanceNotFound")
        #expect(early?.kind == .permanent)
        // A drill instance is never reversed either.
        #expect(try await Emulator.run(module, Emulator.context(.activate, mode: .drill, parameters: parameters)).result.isSucceeded)
        #expect(await Emulator.error { try await module.start(Emulator.context(.replicate, parameters: parameters)) }?.code == "RecoveryInstanceNotFound")

        #expect(try await Emulator.run(module, Emulator.context(.activate, mode: .recovery, parameters: parameters)).result.isSucceeded)
        let replicate = Emulator.context(.replicate, mode: .recovery, parameters: parameters)
        #expect(try await module.preflight(replicate).passed)
        let before = try await Emulator.stats()
        let started = try await module.start(replicate)
        _ = try await module.start(replicate)   // a restart: the servers already have a reversed source server
        let (result, _) = try await Emulator.poll(module, replicate, started.checkpoint)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await mutatingCalls(before) == ["drs:ReverseReplication": 2])
        // The reversed source servers replicate in the old primary region.
        let reversed = (started.checkpoint["servers"]?.arrayValue ?? []).compactMap { $0["reversedSourceServerArn"]?.stringValue }
        #expect(reversed.count == 2)
        #expect(reversed.allSatisfy { $0.contains(":us-east-1:") })
        let east = try await drs(Emulator.east).describeSourceServers(ids: reversed.compactMap { $0.split(separator: "/").last.map(String.init) })
        #expect(east.count == 2)
        #expect(east.allSatisfy { $0.replicationState == "CONTINUOUS" })
    }

    // MARK: Safety

    @Test func aServerServingFromARecoveryInstanceIsNeverLaunchedAgain() async throws {
        let servers = try await seed(2)
        let parameters: JSONValue = ["Tags": ["App": .string(servers.tag)]]
        #expect(try await Emulator.run(module, Emulator.context(.activate, mode: .recovery, parameters: parameters)).result.isSucceeded)
        let before = try await Emulator.stats()
        // Neither a drill nor a second recovery (another execution) may replace those instances.
        for mode in [ExecutionMode.drill, .recovery] {
            let context = Emulator.context(.activate, mode: mode, parameters: parameters)
            let report = try await module.preflight(context)
            #expect(report.findings.contains { $0.severity == .blocking && $0.message.contains("from a recovery") })
            let error = await Emulator.error { try await module.start(context) }
            #expect(error?.code == "RecoveryInstanceExists")
            #expect(error?.kind == .permanent)
        }
        #expect(try await mutatingCalls(before).isEmpty)
    }

    @Test func anUngracefulReplicateNeverReadsThePeerRegion() async throws {
        let servers = try await seed(1)
        let parameters: JSONValue = ["Tags": ["App": .string(servers.tag)]]
        #expect(try await Emulator.run(module, Emulator.context(.activate, mode: .recovery, parameters: parameters)).result.isSucceeded)
        let replicate = Emulator.context(.replicate, mode: .recovery, strategy: .ungraceful, parameters: parameters)
        let started = try await module.start(replicate)
        let result = try await module.check(replicate, checkpoint: started.checkpoint)
        guard case .succeeded(let message, _) = result else { Issue.record("\(result)"); return }
        #expect(message.contains("never calls us-east-1"))
    }
}
