import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// EcsServiceModule against moto's ECS and Application Auto Scaling. Each test starts from the
/// seeded sizes (west api/worker 0/0, east 2/1), restored directly before it counts calls.
@Suite(.serialized) struct EcsServiceModuleTests {
    let module: EcsServiceModule
    let app: App

    init() async throws {
        app = try await Emulator.app("ecs")
        module = EcsServiceModule(clients: try Emulator.clients())
        for (region, sizes) in [(Emulator.west, ["api": 0, "worker": 0]), (Emulator.east, ["api": 2, "worker": 1])] {
            let client = try await Emulator.client(region: region)
            let api = ECS(client)
            for service in try await api.describeServices(cluster: app.ecsCluster, services: Array(sizes.keys)).services {
                try await api.untag(service.arn, key: "lifeboat.dev/drill-undo")
            }
            for (service, size) in sizes { try await api.updateService(cluster: app.ecsCluster, service: service, desiredCount: size) }
            // The seeded scalable-target minimum too, so every test counts RegisterScalableTarget exactly.
            for service in sizes.keys where region == Emulator.west {   // a test may have failed the rollout
                _ = try await Emulator.control("POST", "/__emulator__/states/ecs-rollout", body: [
                    "account": Emulator.account, "region": region, "cluster": app.ecsCluster, "service": service, "rolloutState": "COMPLETED"])
            }
            let minimum = region == Emulator.west ? 0 : 2
            try await ApplicationAutoScaling(client).registerScalableTarget(
                resourceID: ApplicationAutoScaling.ecsResourceID(cluster: app.ecsCluster, service: "api"), minCapacity: minimum, maxCapacity: 10)
        }
    }

    func services(_ region: String) async throws -> [String: ECS.Service] {
        let (found, _) = try await ECS(try await Emulator.client(region: region)).describeServices(cluster: app.ecsCluster, services: ["api", "worker"])
        return Dictionary(uniqueKeysWithValues: found.map { ($0.name, $0) })
    }

    func calls(_ before: [String: Int]) async throws -> [String: Int] {
        Emulator.delta(before, try await Emulator.stats()).filter { ["ecs:UpdateService", "application-autoscaling:RegisterScalableTarget"].contains($0.key) }
    }

    func items(api: Int, worker: Int, minimum: Int? = nil) -> JSONValue {
        var first: JSONObject = ["EcsClusterName": .string(app.ecsCluster), "EcsServiceName": "api", "EcsDesiredSize": .int(api)]
        if let minimum { first["EcsAsgMinSize"] = .int(minimum) }
        return ["Items": [.object(first), ["EcsClusterName": .string(app.ecsCluster), "EcsServiceName": "worker", "EcsDesiredSize": .int(worker)]]]
    }

    @Test(arguments: [ExecutionMode.drill, .recovery])
    func instantiateScalesTheStandbyServicesTheSameInBothModes(mode: ExecutionMode) async throws {
        let context = Emulator.context(.instantiate, mode: mode, parameters: items(api: 2, worker: 1, minimum: 2))
        let before = try await Emulator.stats()
        let (_, result, _) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        let west = try await services(Emulator.west)
        #expect(west["api"]?.desiredCount == 2 && west["api"]?.runningCount == 2)
        #expect(west["worker"]?.desiredCount == 1)
        let target = try await ApplicationAutoScaling(try await Emulator.client(region: Emulator.west))
            .describeScalableTarget(resourceID: ApplicationAutoScaling.ecsResourceID(cluster: app.ecsCluster, service: "api"))
        #expect(target?.minCapacity == 2)
        let made = try await calls(before)
        #expect(made["ecs:UpdateService"] == 2)
        #expect(made["application-autoscaling:RegisterScalableTarget"] == 1)
    }

    @Test func startTwiceUpdatesEachServiceOnce() async throws {
        let context = Emulator.context(.instantiate, parameters: items(api: 3, worker: 2))
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        let second = try await module.start(context)
        #expect(second.message == "every service already has its desired count")
        #expect(try await Emulator.poll(module, context, first.checkpoint).result.isSucceeded)
        #expect(try await calls(before) == ["ecs:UpdateService": 2])
    }

    @Test func recoveryCleanupScalesTheOldPrimaryToZeroAndFailsWhenRaisedAgain() async throws {
        let context = Emulator.context(.cleanup, mode: .recovery, parameters: items(api: 2, worker: 1))
        let before = try await Emulator.stats()
        let (_, result, checkpoint) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        #expect(try await calls(before) == ["ecs:UpdateService": 2])
        #expect(try await services(Emulator.east).values.allSatisfy { $0.desiredCount == 0 })
        _ = try await Emulator.boto("aws('ecs', 'us-east-1').update_service(cluster='\(app.ecsCluster)', service='api', desiredCount=1)")
        let raised = try await module.check(context, checkpoint: checkpoint)
        #expect(raised.failure?.code == "DesiredCountChanged", "\(raised)")
    }

    /// Issue 11: a drill records each standby service's size (api ran 1 task with a scalable
    /// target of 0–10 before it) and its Cleanup returns every service to exactly that; the
    /// serving region is never written and ends as it began.
    @Test func aDrillLeavesTheServingRegionAloneAndItsCleanupRestoresTheStandby() async throws {
        let west = ECS(try await Emulator.client(region: Emulator.west))
        try await west.updateService(cluster: app.ecsCluster, service: "api", desiredCount: 1)
        let scaling = ApplicationAutoScaling(try await Emulator.client(region: Emulator.west))
        let apiTarget = ApplicationAutoScaling.ecsResourceID(cluster: app.ecsCluster, service: "api")
        let serving = try await services(Emulator.east).mapValues(\.desiredCount)
        let before = try await Emulator.statsByRegion()

        let drill = Emulator.context(.instantiate, mode: .drill, parameters: items(api: 3, worker: 2, minimum: 2))
        #expect(try await Emulator.run(module, drill).result.isSucceeded)
        #expect(try await services(Emulator.west).mapValues(\.desiredCount) == ["api": 3, "worker": 2])
        #expect(try await scaling.describeScalableTarget(resourceID: apiTarget)?.minCapacity == 2)
        var tags: [String: String] = [:]
        for (name, service) in try await services(Emulator.west) { tags[name] = try await west.tags(of: service.arn)["lifeboat.dev/drill-undo"] }
        #expect(tags == ["api": "plan=plan desired=1 max=10 min=0", "worker": "plan=plan desired=0"])

        let cleanup = Emulator.context(.cleanup, mode: .drill, parameters: items(api: 3, worker: 2, minimum: 2))
        let (started, result, _) = try await Emulator.run(module, cleanup)
        #expect(started.message == "returning to the size before the drill: \(app.ecsCluster)/api minimum 0, \(app.ecsCluster)/api desired 1, \(app.ecsCluster)/worker desired 0")
        #expect(result.isSucceeded, "\(result)")
        #expect(try await services(Emulator.west).mapValues(\.desiredCount) == ["api": 1, "worker": 0])
        let restored = try await scaling.describeScalableTarget(resourceID: apiTarget)
        #expect(restored?.minCapacity == 0 && restored?.maxCapacity == 10)
        for service in try await services(Emulator.west).values { #expect(try await west.tags(of: service.arn)["lifeboat.dev/drill-undo"] == nil) }

        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["ecs", "application-autoscaling"]).isEmpty)
        #expect(try await services(Emulator.east).mapValues(\.desiredCount) == serving)
    }

    @Test func missingServiceIsPermanentWithoutMutatingCalls() async throws {
        let before = try await Emulator.stats()
        let context = Emulator.context(.instantiate, parameters: ["Items": [["EcsClusterName": .string(app.ecsCluster), "EcsServiceName": "no-such-service", "EcsDesiredSize": 1]]])
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "ServiceNotFoundException")
        #expect(error?.message.contains("no-such-service") == true)
        #expect(try await calls(before).isEmpty)
    }

    @Test func unavailableUpdateServiceIsTransientAndScalesOnceOnRetry() async throws {
        let context = Emulator.context(.instantiate, parameters: items(api: 1, worker: 0))
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "ecs", operation: "UpdateService",
                                                                     fault: ["kind": "error", "status": 503, "code": "ServiceUnavailable"])
        #expect(try await calls(before) == ["ecs:UpdateService": faulted + 1])
        #expect(try await services(Emulator.west)["api"]?.desiredCount == 1)
    }

    @Test func aServiceDeletedBetweenStartAndCheckIsAnError() async throws {
        // A service of this test only: the seeded ones stay for the others.
        let name = Emulator.unique("doomed")
        _ = try await Emulator.boto("aws('ecs', 'us-west-2').create_service(cluster='\(app.ecsCluster)', serviceName='\(name)', taskDefinition='\(app.prefix)payments-worker', desiredCount=0)")
        let context = Emulator.context(.instantiate, parameters: ["Items": [["EcsClusterName": .string(app.ecsCluster), "EcsServiceName": .string(name), "EcsDesiredSize": 1]]])
        let started = try await module.start(context)
        _ = try await Emulator.boto("aws('ecs', 'us-west-2').delete_service(cluster='\(app.ecsCluster)', service='\(name)', force=True)")
        let error = await Emulator.error { try await module.check(context, checkpoint: started.checkpoint) }
        #expect(error?.kind == .permanent)
        #expect(["ServiceNotFoundException", "ServiceNotActiveException"].contains(error?.code ?? ""), "\(String(describing: error))")
        #expect(error?.message.contains(name) == true)
    }

    @Test func preflightReportsEachServiceWithoutActing() async throws {
        let before = try await Emulator.stats()
        let report = try await module.preflight(Emulator.context(.cleanup, parameters: items(api: 2, worker: 1)))
        #expect(report.passed)
        #expect(report.findings.contains { $0.message.contains("/api: desired 2, running 2; Cleanup sets 0") })
        #expect(try await calls(before).isEmpty)
    }

    @Test func aFailedRolloutFailsTheCheckWithItsReason() async throws {
        let context = Emulator.context(.instantiate, parameters: items(api: 1, worker: 1))
        let started = try await module.start(context)
        _ = try await Emulator.control("POST", "/__emulator__/states/ecs-rollout", body: [
            "account": Emulator.account, "region": Emulator.west, "cluster": app.ecsCluster, "service": "api",
            "rolloutState": "FAILED", "reason": "ECS deployment circuit breaker: tasks failed to start"])
        let result = try await module.check(context, checkpoint: started.checkpoint)
        guard case .failed(let reason, let code) = result else { Issue.record("\(result)"); return }
        #expect(code == "DeploymentFailed")
        #expect(reason.contains("tasks failed to start"))
    }
}
