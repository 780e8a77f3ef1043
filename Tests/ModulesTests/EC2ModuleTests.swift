import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// EC2Module against moto's EC2, on the seeded hosts (Orchestrator:HostName; west stopped, east
/// running), restored directly before each test counts calls.
@Suite(.serialized) struct EC2ModuleTests {
    let module: EC2Module
    let app: App
    var hosts: [String] { [app.hostName("bastion-1"), app.hostName("reporting-1")] }

    init() async throws {
        app = try await Emulator.app("ec2")
        module = EC2Module(clients: try Emulator.clients())
        for region in [Emulator.west, Emulator.east] {
            try await api(region).untag(["bastion-1", "reporting-1"].map { app.instance($0, region) }, key: "lifeboat.dev/drill-undo")
        }
        try await api(Emulator.west).stopInstances(["bastion-1", "reporting-1"].map { app.instance($0, Emulator.west) })
        try await api(Emulator.east).startInstances(["bastion-1", "reporting-1"].map { app.instance($0, Emulator.east) })
    }

    func api(_ region: String) async throws -> EC2 { EC2(try await Emulator.client(region: region)) }

    /// A standby host of one test only, stopped, tagged Orchestrator:HostName: its host name and id.
    func stoppedHost(_ label: String) async throws -> (name: String, id: String) {
        let name = Emulator.unique("\(app.prefix)\(label)")
        let created = try await Emulator.boto("""
            ec2 = aws('ec2', 'us-west-2')
            i = ec2.run_instances(ImageId='ami-04681a1dbd79675a5', InstanceType='t3.micro', MinCount=1, MaxCount=1, SubnetId='\(app.subnet(Emulator.west))',
                TagSpecifications=[{'ResourceType': 'instance', 'Tags': [{'Key': 'Orchestrator:HostName', 'Value': '\(name)'}]}])['Instances'][0]['InstanceId']
            ec2.stop_instances(InstanceIds=[i])
            out = i
            """) as? String
        return (name, try #require(created))
    }

    func calls(_ before: [String: Int]) async throws -> [String: Int] {
        Emulator.delta(before, try await Emulator.stats()).filter { ["ec2:StartInstances", "ec2:StopInstances"].contains($0.key) }
    }

    func states(_ region: String) async throws -> [String] {
        try await api(region).describeInstances(ids: ["bastion-1", "reporting-1"].map { app.instance($0, region) }).map(\.state)
    }

    @Test(arguments: [(Phase.instantiate, ExecutionMode.drill), (.instantiate, .recovery), (.activate, .drill), (.activate, .recovery)])
    func startsTheStandbyHostsByHostNameInEveryStartingPhaseAndMode(phase: Phase, mode: ExecutionMode) async throws {
        let context = Emulator.context(phase, mode: mode, parameters: ["HostNames": .array(hosts.map { .string($0) })])
        let before = try await Emulator.stats()
        let (started, result, _) = try await Emulator.run(module, context)
        #expect(started.message == "started 2 of 2 instance(s)")
        #expect(result.isSucceeded, "\(result)")
        #expect(try await calls(before) == ["ec2:StartInstances": 1])
        #expect(try await states(Emulator.west) == ["running", "running"])
    }

    @Test func startTwiceStartsOnceAndIdsAndHostNamesCombine() async throws {
        let context = Emulator.context(.activate, parameters: ["InstanceIds": [.string(app.instance("bastion-1", Emulator.west))],
                                                               "HostNames": [.string(hosts[1])]])
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        let second = try await module.start(context)
        #expect(second.message?.contains("already running") == true)
        #expect(first.checkpoint["instanceIds"]?.arrayValue?.count == 2)
        #expect(try await Emulator.poll(module, context, first.checkpoint).result.isSucceeded)
        #expect(try await calls(before) == ["ec2:StartInstances": 1])
    }

    @Test func recoveryCleanupStopsTheOldPrimaryHosts() async throws {
        let context = Emulator.context(.cleanup, mode: .recovery, parameters: ["HostNames": .array(hosts.map { .string($0) })])
        let before = try await Emulator.stats()
        let (_, result, _) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await calls(before) == ["ec2:StopInstances": 1])
        #expect(try await states(Emulator.east) == ["stopped", "stopped"])
    }

    /// Issue 11: a drill marks the hosts it starts; its Cleanup stops exactly those in the standby
    /// (a host that already ran before the drill keeps running) and never writes to the serving
    /// region, whose hosts end as they began.
    @Test func aDrillStopsOnlyWhatItStartedAndNeverTouchesTheServingRegion() async throws {
        let reporting = app.instance("reporting-1", Emulator.west), bastion = app.instance("bastion-1", Emulator.west)
        try await api(Emulator.west).startInstances([reporting])
        _ = try await Emulator.boto("aws('ec2', 'us-west-2').get_waiter('instance_running').wait(InstanceIds=['\(reporting)'])")
        let serving = try await api(Emulator.east).describeInstances(ids: ["bastion-1", "reporting-1"].map { app.instance($0, Emulator.east) })
        let before = try await Emulator.statsByRegion()
        let parameters: JSONValue = ["HostNames": .array(hosts.map { .string($0) })]

        let (started, result, _) = try await Emulator.run(module, Emulator.context(.activate, mode: .drill, parameters: parameters))
        #expect(started.message == "started 1 of 2 instance(s)")
        #expect(result.isSucceeded, "\(result)")
        let marked = try await api(Emulator.west).describeInstances(ids: [bastion, reporting])
        #expect(Dictionary(uniqueKeysWithValues: marked.map { ($0.id, $0.tags["lifeboat.dev/drill-undo"] ?? "none") })
                == [bastion: "plan=plan state=stopped", reporting: "none"])

        let cleanup = Emulator.context(.cleanup, mode: .drill, parameters: parameters)
        let undo = try await Emulator.run(module, cleanup)
        #expect(undo.start.message == "stopped 1 of 1 instance(s) that the drill started")
        #expect(undo.result.isSucceeded, "\(undo.result)")
        let after = try await api(Emulator.west).describeInstances(ids: [bastion, reporting])
        #expect(Dictionary(uniqueKeysWithValues: after.map { ($0.id, $0.state) }) == [bastion: "stopped", reporting: "running"])
        #expect(after.allSatisfy { $0.tags["lifeboat.dev/drill-undo"] == nil })

        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["ec2"]).isEmpty)
        #expect(try await api(Emulator.east).describeInstances(ids: ["bastion-1", "reporting-1"].map { app.instance($0, Emulator.east) }) == serving)
    }

    @Test func unknownHostOrInstanceIsPermanentWithoutMutatingCalls() async throws {
        let before = try await Emulator.stats()
        let host = await Emulator.error { try await module.start(Emulator.context(.activate, parameters: ["HostNames": [.string(hosts[0]), "no-such-host"]])) }
        #expect(host?.kind == .permanent)
        #expect(host?.code == "InstanceNotFound")
        #expect(host?.message.contains("no-such-host") == true)
        let id = await Emulator.error { try await module.start(Emulator.context(.activate, parameters: ["InstanceIds": ["i-0123456789abcdef0"]])) }
        #expect(id?.kind == .permanent)
        #expect(id?.code == "InvalidInstanceID.NotFound")
        #expect(try await calls(before).isEmpty)
    }

    @Test func throttledStartIsTransientAndStartsOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: ["HostNames": .array(hosts.map { .string($0) })])
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "ec2", operation: "StartInstances")
        #expect(try await calls(before) == ["ec2:StartInstances": faulted + 1])
    }

    @Test func anInstanceTerminatedBetweenStartAndCheckFailsTheCheckAndBlocksPreflight() async throws {
        let (name, id) = try await stoppedHost("doomed")
        let context = Emulator.context(.activate, parameters: ["HostNames": [.string(name)]])
        let started = try await module.start(context)
        _ = try await Emulator.boto("aws('ec2', 'us-west-2').terminate_instances(InstanceIds=['\(id)'])")
        let (result, _) = try await Emulator.poll(module, context, started.checkpoint)
        let failure = try #require(result.failure, "\(result)")
        #expect(failure.code == "InstanceTerminated")
        #expect(failure.reason.contains(id))
        let report = try await module.preflight(Emulator.context(.activate, parameters: ["InstanceIds": [.string(id)]]))
        #expect(!report.passed)
        #expect(report.findings.contains { $0.severity == .blocking && $0.message.contains("terminated") })
    }

    /// EC2 reads are eventually consistent, so the old resting state right after StartInstances is
    /// still "in progress"; a minute later it means the start did not take. The checkpoint records
    /// when Lifeboat asked, so a test can present one from two minutes ago instead of waiting.
    @Test func anInstanceStillStoppedAMinuteAfterTheStartFailsTheCheck() async throws {
        let (name, id) = try await stoppedHost("stuck")
        let context = Emulator.context(.activate, parameters: ["HostNames": [.string(name)]])
        let now = Date().timeIntervalSince1970
        let fresh: JSONValue = ["instanceIds": [.string(id)], "target": "running", "requestedAt": .double(now)]
        let old: JSONValue = ["instanceIds": [.string(id)], "target": "running", "requestedAt": .double(now - 120)]
        guard case .inProgress = try await module.check(context, checkpoint: fresh) else { Issue.record("a fresh start must still be in progress"); return }
        let result = try await module.check(context, checkpoint: old)
        let failure = try #require(result.failure, "\(result)")
        #expect(failure.code == "IncorrectInstanceState")
        #expect(failure.reason.contains(id) && failure.reason.contains("stopped again"))
    }

    @Test func preflightReportsStatesWithoutActing() async throws {
        let before = try await Emulator.stats()
        let report = try await module.preflight(Emulator.context(.activate, parameters: ["HostNames": .array(hosts.map { .string($0) })]))
        #expect(report.passed)
        #expect(report.findings.count == 2)
        #expect(report.findings.allSatisfy { $0.message.contains("is stopped; Activate makes it running") })
        #expect(try await calls(before).isEmpty)
    }
}
