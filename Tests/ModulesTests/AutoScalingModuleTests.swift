import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// AutoScalingModule against moto's Auto Scaling. Each test starts from the seeded sizes (west
/// 0/0/4, east 2/2/4), restored directly before it counts calls.
@Suite(.serialized) struct AutoScalingModuleTests {
    let module: AutoScalingModule
    let app: App

    init() async throws {
        app = try await Emulator.app("asg")
        module = AutoScalingModule(clients: try Emulator.clients())
        for region in [Emulator.west, Emulator.east] { try await api(region).untagGroup(app.asg, key: "lifeboat.dev/drill-undo") }
        try await api(Emulator.west).updateGroup(app.asg, minSize: 0, maxSize: 4, desiredCapacity: 0)
        try await api(Emulator.east).updateGroup(app.asg, minSize: 2, maxSize: 4, desiredCapacity: 2)
    }

    func api(_ region: String) async throws -> AutoScaling { AutoScaling(try await Emulator.client(region: region)) }

    func updates(_ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["autoscaling:UpdateAutoScalingGroup", default: 0]
    }

    @Test(arguments: [ExecutionMode.drill, .recovery])
    func instantiateScalesTheStandbyGroupTheSameInBothModes(mode: ExecutionMode) async throws {
        let context = Emulator.context(.instantiate, mode: mode, parameters: ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": 3])
        let before = try await Emulator.stats()
        let (started, result, _) = try await Emulator.run(module, context)
        #expect(started.message == "set \(app.asg) min 3, desired 3")
        #expect(result.isSucceeded, "\(result)")
        #expect(try await updates(before) == 1)
        let group = try #require(try await api(Emulator.west).describeGroups([app.asg]).first)
        #expect(group.minSize == 3 && group.desiredCapacity == 3 && group.maxSize == 4)
        #expect(group.healthyInService == 3)
    }

    @Test func desiredCountGivenAsAStringIsCoercedAndMaxRaised() async throws {
        // As a resolved SSM parameter arrives: a string.
        let context = Emulator.context(.instantiate, parameters: ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": "5"])
        let (_, result, _) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        let group = try #require(try await api(Emulator.west).describeGroups([app.asg]).first)
        #expect(group.desiredCapacity == 5 && group.minSize == 5 && group.maxSize == 5)
    }

    @Test func startTwiceScalesOnce() async throws {
        let context = Emulator.context(.instantiate, parameters: ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": 2])
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        let second = try await module.start(context)
        #expect(second.message?.contains("already") == true)
        #expect(try await Emulator.poll(module, context, first.checkpoint).result.isSucceeded)
        #expect(try await updates(before) == 1)
    }

    @Test func recoveryCleanupScalesTheOldPrimaryToZeroAndFailsWhenRaisedBehindItsBack() async throws {
        let context = Emulator.context(.cleanup, mode: .recovery, parameters: ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": 2])
        let before = try await Emulator.stats()
        let (_, result, checkpoint) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await updates(before) == 1)
        let group = try #require(try await api(Emulator.east).describeGroups([app.asg]).first)
        #expect(group.desiredCapacity == 0 && group.instances.isEmpty)

        _ = try await Emulator.boto("aws('autoscaling', 'us-east-1').set_desired_capacity(AutoScalingGroupName='\(app.asg)', DesiredCapacity=1)")
        let raised = try await module.check(context, checkpoint: checkpoint)
        #expect(raised.failure?.code == "DesiredCapacityChanged", "\(raised)")
    }

    /// Issue 11: a drill records the standby group's capacity before scaling it (1/1/4 here, not
    /// zero) and its Cleanup returns the group to exactly that; the serving region's group is
    /// never written and ends as it began.
    @Test func aDrillLeavesTheServingRegionAloneAndItsCleanupRestoresTheStandby() async throws {
        try await api(Emulator.west).updateGroup(app.asg, minSize: 1, maxSize: 4, desiredCapacity: 1)
        let parameters: JSONValue = ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": 3]
        let serving = try await api(Emulator.east).describeGroups([app.asg]).first
        let before = try await Emulator.statsByRegion()

        let instantiate = Emulator.context(.instantiate, mode: .drill, parameters: parameters)
        #expect(try await Emulator.run(module, instantiate).result.isSucceeded)
        let scaled = try #require(try await api(Emulator.west).describeGroups([app.asg]).first)
        #expect(scaled.minSize == 3 && scaled.desiredCapacity == 3)
        #expect(scaled.tags["lifeboat.dev/drill-undo"] == "plan=plan desired=1 max=4 min=1")
        // A second drill before the Cleanup keeps the first record (the state before any drill).
        #expect(try await Emulator.run(module, instantiate).result.isSucceeded)
        #expect(try await api(Emulator.west).describeGroups([app.asg]).first?.tags["lifeboat.dev/drill-undo"] == "plan=plan desired=1 max=4 min=1")

        let cleanup = Emulator.context(.cleanup, mode: .drill, parameters: parameters)
        #expect(cleanup.actingRegion == Emulator.west)
        let (started, result, _) = try await Emulator.run(module, cleanup)
        #expect(started.message == "returning to the capacity before the drill: \(app.asg) min 1, desired 1, max 4")
        #expect(result.isSucceeded, "\(result)")
        let restored = try #require(try await api(Emulator.west).describeGroups([app.asg]).first)
        #expect(restored.minSize == 1 && restored.desiredCapacity == 1 && restored.maxSize == 4 && restored.instances.count == 1)
        #expect(restored.tags["lifeboat.dev/drill-undo"] == nil)
        // Nothing left to undo: a second Cleanup changes nothing.
        #expect(try await Emulator.run(module, cleanup).start.message == "no group carries a drill record: the drills changed none of them")

        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["autoscaling"]).isEmpty)
        #expect(try await api(Emulator.east).describeGroups([app.asg]).first == serving)
    }

    @Test func missingGroupIsPermanentWithoutMutatingCalls() async throws {
        let before = try await Emulator.stats()
        let context = Emulator.context(.instantiate, parameters: ["AutoScalingGroupNames": [.string(app.asg), "no-such-group"], "DesiredCount": 2])
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "ResourceNotFound")
        #expect(error?.message.contains("no-such-group") == true)
        let preflight = await Emulator.error { try await module.preflight(context) }
        #expect(preflight?.code == "ResourceNotFound")
        #expect(try await updates(before) == 0)
    }

    @Test func throttledUpdateIsTransientAndScalesOnceOnRetry() async throws {
        let context = Emulator.context(.instantiate, parameters: ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": 2])
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "autoscaling", operation: "UpdateAutoScalingGroup")
        #expect(try await updates(before) == faulted + 1)
        #expect(try await api(Emulator.west).describeGroups([app.asg]).first?.desiredCapacity == 2)
    }

    @Test func preflightReportsSizesAndALowMaxWithoutActing() async throws {
        let before = try await Emulator.stats()
        let context = Emulator.context(.instantiate, parameters: ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": 6])
        let report = try await module.preflight(context)
        #expect(report.passed)
        #expect(report.findings.contains { $0.message.contains("min 0, desired 0, max 4") })
        #expect(report.findings.contains { $0.severity == .warning && $0.message.contains("max 4 is below 6") })
        #expect(try await updates(before) == 0)
    }

    @Test func aFailedScalingActivityFailsTheCheckWithItsMessage() async throws {
        let context = Emulator.context(.instantiate, parameters: ["AutoScalingGroupNames": [.string(app.asg)], "DesiredCount": 2])
        let started = try await module.start(context)
        _ = try await Emulator.control("POST", "/__emulator__/states/scaling-activity", body: [
            "account": Emulator.account, "region": Emulator.west, "AutoScalingGroupName": app.asg, "StatusCode": "Failed",
            "StatusMessage": "We currently do not have sufficient m5.large capacity in us-west-2a"])
        let result = try await module.check(context, checkpoint: started.checkpoint)
        _ = try await Emulator.control("POST", "/__emulator__/states/scaling-activity", body: [
            "account": Emulator.account, "region": Emulator.west, "AutoScalingGroupName": app.asg, "clear": true])
        guard case .failed(let reason, let code) = result else { Issue.record("\(result)"); return }
        #expect(code == "ScalingActivityFailed")
        #expect(reason.contains("sufficient m5.large capacity"))
    }
}
