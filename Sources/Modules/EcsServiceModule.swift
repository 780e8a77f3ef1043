import AWS
import Engine
import LifeboatAPI
import YAML

/// ECS services scaled to `EcsDesiredSize` for the standby (Instantiate) and to zero (Cleanup).
/// When `EcsAsgMinSize` is given, the Application Auto Scaling minimum moves first, so a
/// scale-in policy cannot take the service back below it.
public struct EcsServiceModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .ecsService) }

    struct Target: Codable, Sendable, Hashable {
        var cluster: String
        var service: String
        var desired: Int
        var minimum: Int?

        var label: String { "\(ECS.shortName(cluster))/\(ECS.shortName(service))" }
    }

    struct Progress: Checkpoint {
        var services: [Target]
    }

    private func targets(_ context: ModuleContext) throws(ModuleError) -> [Target] {
        let parameters = try ModuleParameters(context, descriptor)
        return parameters.items("Items").map { item in
            let cleanup = context.phase == .cleanup
            return Target(cluster: item.string("EcsClusterName") ?? "", service: item.string("EcsServiceName") ?? "",
                          desired: cleanup ? 0 : item.int("EcsDesiredSize") ?? 0,
                          minimum: item.int("EcsAsgMinSize").map { cleanup ? 0 : $0 })
        }
    }

    /// The services of `targets`, one DescribeServices per cluster; a missing or inactive
    /// service is an error naming it.
    private func describe(_ targets: [Target], _ api: ECS) async throws(ModuleError) -> [Target: ECS.Service] {
        var result: [Target: ECS.Service] = [:]
        for cluster in Set(targets.map(\.cluster)).sorted() {
            let wanted = targets.filter { $0.cluster == cluster }
            let (services, failures) = try await aws("describing services in cluster \(cluster)") {
                try await api.describeServices(cluster: cluster, services: wanted.map(\.service))
            }
            for target in wanted {
                guard let service = services.first(where: { $0.name == ECS.shortName(target.service) || $0.arn == target.service }) else {
                    let reason = failures.first { $0.arn.hasSuffix("/" + ECS.shortName(target.service)) }?.reason ?? "MISSING"
                    throw .permanent("ECS service \(target.label) not found (\(reason))", code: "ServiceNotFoundException")
                }
                guard service.status == "ACTIVE" else {
                    throw .permanent("ECS service \(target.label) is \(service.status)", code: "ServiceNotActiveException")
                }
                result[target] = service
            }
        }
        return result
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let targets = try targets(context)
        let api = ECS(await clients.client(for: context, region: context.actingRegion))
        let services = try await describe(targets, api)
        return PreflightReport(findings: targets.map { target in
            let service = services[target]!
            return .init(.ok, "\(target.label): desired \(service.desiredCount), running \(service.runningCount); \(context.phase) sets \(target.desired)")
        })
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let targets = try targets(context)
        let client = await clients.client(for: context, region: context.actingRegion)
        let api = ECS(client)
        let scaling = ApplicationAutoScaling(client)
        let services = try await describe(targets, api)
        var actions: [String] = []
        for target in targets {
            if let minimum = target.minimum {
                let resourceID = ApplicationAutoScaling.ecsResourceID(cluster: target.cluster, service: target.service)
                let current = try await aws("reading the scalable target of \(target.label)") { try await scaling.describeScalableTarget(resourceID: resourceID) }
                if current?.minCapacity != minimum {
                    let maximum = max(current?.maxCapacity ?? 0, minimum, target.desired)
                    try await aws("setting the Application Auto Scaling minimum of \(target.label) to \(minimum)") {
                        try await scaling.registerScalableTarget(resourceID: resourceID, minCapacity: minimum, maxCapacity: maximum)
                    }
                    actions.append("\(target.label) minimum \(minimum)")
                }
            }
            if services[target]?.desiredCount != target.desired {
                context.logger.info("scaling ecs service", ["service": .string(target.label), "desired": .int(target.desired)])
                try await aws("setting the desired count of \(target.label) to \(target.desired)") {
                    try await api.updateService(cluster: target.cluster, service: target.service, desiredCount: target.desired)
                }
                actions.append("\(target.label) desired \(target.desired)")
            }
        }
        let message = actions.isEmpty ? "every service already has its desired count" : "set " + actions.joined(separator: ", ")
        return StartResult(checkpoint: Progress(services: targets).json, message: message)
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "EcsService")
        let api = ECS(await clients.client(for: context, region: context.actingRegion))
        let services = try await describe(progress.services, api)
        var waiting: [String] = []
        for target in progress.services {
            let service = services[target]!
            if let failed = service.deployments.first(where: { $0.rolloutState == "FAILED" }) {
                return .failed(reason: "\(target.label): deployment failed: \(failed.rolloutStateReason ?? "rollout FAILED")", code: "DeploymentFailed")
            }
            // Application Auto Scaling may hold a service above the size asked for, never below the minimum set.
            let floor = target.desired
            // A scaling change adds no deployment; a second one means a rollout is still replacing
            // tasks. (The primary's rolloutState can read IN_PROGRESS long after a pure scale.)
            let settled = service.deployments.count <= 1
            let sized = target.desired == 0 ? service.desiredCount == 0 && service.runningCount == 0
                : service.runningCount >= floor && service.runningCount == service.desiredCount
            if target.desired == 0 && service.desiredCount > 0 {
                return .failed(reason: "\(target.label): desired count is \(service.desiredCount) again after Lifeboat set 0 (a scaling policy or another tool raised it)",
                               code: "DesiredCountChanged")
            }
            if !(sized && settled) {
                let failedTasks = service.deployments.map(\.failedTasks).reduce(0, +)
                waiting.append("\(target.label) running \(service.runningCount)/\(max(service.desiredCount, floor))"
                               + (service.pendingCount > 0 ? ", \(service.pendingCount) pending" : "")
                               + (failedTasks > 0 ? ", \(failedTasks) failed task(s)" : "")
                               + (settled ? "" : ", deployment in progress"))
            }
        }
        if waiting.isEmpty {
            return .succeeded(message: progress.services.map { "\($0.label) running \($0.desired)" }.joined(separator: ", "))
        }
        return .inProgress(message: waiting.joined(separator: "; "), nextPoll: .seconds(15))
    }
}
