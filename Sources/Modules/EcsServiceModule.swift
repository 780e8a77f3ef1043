import AWS
import Engine
import LifeboatAPI
import YAML

/// ECS services scaled to `EcsDesiredSize` for the standby (Instantiate) and to zero (Cleanup).
/// When `EcsAsgMinSize` is given, the Application Auto Scaling minimum moves first, so a
/// scale-in policy cannot take the service back below it.
///
/// A drill records each service's desired count (and its scalable target's bounds) on the
/// service (a `DrillRecord` tag) before scaling it; Drill Cleanup returns every recorded service
/// to exactly that, and leaves services without a record alone.
public struct EcsServiceModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .ecsService) }

    struct Target: Codable, Sendable, Hashable {
        var cluster: String
        var service: String
        var desired: Int
        var minimum: Int?
        /// Set only when restoring a drill record (otherwise the maximum is only ever raised).
        var maximum: Int? = nil

        var label: String { "\(ECS.shortName(cluster))/\(ECS.shortName(service))" }
    }

    struct Progress: Checkpoint {
        var services: [Target]
        /// Drill Cleanup: remove each service's drill record once it is back at the recorded size.
        var clearsDrillRecords: Bool?
    }

    private func targets(_ context: ModuleContext) throws(ModuleError) -> [Target] {
        let parameters = try ModuleParameters.decode(EcsServiceParameters.self, context, descriptor)
        return parameters.items.map { item in
            let cleanup = context.phase == .cleanup
            return Target(cluster: item.ecsClusterName, service: item.ecsServiceName, desired: cleanup ? 0 : item.ecsDesiredSize,
                          minimum: item.ecsAsgMinSize.map { cleanup ? 0 : $0 })
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
            let plan = context.undoesDrill ? "Drill Cleanup returns it to its size before the drill, if a drill recorded one"
                : "\(context.phase) sets \(target.desired)"
            return .init(.ok, "\(target.label): desired \(service.desiredCount), running \(service.runningCount); \(plan)")
        })
    }

    /// What a drill's Cleanup returns each recorded service to; services without a record stay out.
    private func restoreTargets(_ targets: [Target], _ services: [Target: ECS.Service], _ api: ECS) async throws(ModuleError) -> [Target] {
        var restored: [Target] = []
        for target in targets {
            let service = services[target]!
            let tags = try await aws("reading the tags of \(target.label)") { try await api.tags(of: service.arn) }
            guard let record = DrillRecord(tags: tags) else { continue }
            guard let desired = record.int("desired") else {
                throw .permanent("\(target.label): the drill record \(DrillRecord.tagKey)=\"\(record.tagValue)\" has no desired count; set the service by hand and delete the tag",
                                 code: "BadDrillRecord")
            }
            restored.append(Target(cluster: target.cluster, service: target.service, desired: desired,
                                   minimum: record.int("min"), maximum: record.int("max")))
        }
        return restored
    }

    /// Before a drill first changes a service: its desired count and scalable-target bounds, on the service.
    private func recordBeforeDrill(_ target: Target, _ service: ECS.Service, _ api: ECS, _ scaling: ApplicationAutoScaling,
                                   _ context: ModuleContext) async throws(ModuleError) {
        let tags = try await aws("reading the tags of \(target.label)") { try await api.tags(of: service.arn) }
        guard DrillRecord(tags: tags) == nil else { return }
        var values = ["desired": String(service.desiredCount)]
        if target.minimum != nil {
            let resourceID = ApplicationAutoScaling.ecsResourceID(cluster: target.cluster, service: target.service)
            if let current = try await aws("reading the scalable target of \(target.label)", { try await scaling.describeScalableTarget(resourceID: resourceID) }) {
                values["min"] = String(current.minCapacity)
                values["max"] = String(current.maxCapacity)
            }
        }
        let record = DrillRecord(context, values)
        try await aws("recording \(target.label)'s size before the drill") { try await api.tag(service.arn, key: DrillRecord.tagKey, value: record.tagValue) }
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let client = await clients.client(for: context, region: context.actingRegion)
        let api = ECS(client)
        let scaling = ApplicationAutoScaling(client)
        let configured = try targets(context)
        let services = try await describe(configured, api)
        let targets = context.undoesDrill ? try await restoreTargets(configured, services, api) : configured
        var actions: [String] = []
        for target in targets {
            let service = services[configured.first { $0.cluster == target.cluster && $0.service == target.service }!]!
            let resourceID = ApplicationAutoScaling.ecsResourceID(cluster: target.cluster, service: target.service)
            let current = target.minimum == nil ? nil
                : try await aws("reading the scalable target of \(target.label)") { try await scaling.describeScalableTarget(resourceID: resourceID) }
            let minimumChanges = target.minimum.map { $0 != current?.minCapacity || (target.maximum != nil && target.maximum != current?.maxCapacity) } ?? false
            let desiredChanges = service.desiredCount != target.desired
            if context.recordsDrill, minimumChanges || desiredChanges {
                try await recordBeforeDrill(target, service, api, scaling, context)
            }
            if let minimum = target.minimum, minimumChanges {
                let maximum = target.maximum ?? max(current?.maxCapacity ?? 0, minimum, target.desired)
                try await aws("setting the Application Auto Scaling minimum of \(target.label) to \(minimum)") {
                    try await scaling.registerScalableTarget(resourceID: resourceID, minCapacity: minimum, maxCapacity: maximum)
                }
                actions.append("\(target.label) minimum \(minimum)")
            }
            if desiredChanges {
                context.logger.info("scaling ecs service", ["service": .string(target.label), "desired": .int(target.desired)])
                try await aws("setting the desired count of \(target.label) to \(target.desired)") {
                    try await api.updateService(cluster: target.cluster, service: target.service, desiredCount: target.desired)
                }
                actions.append("\(target.label) desired \(target.desired)")
            }
        }
        let message: String
        if context.undoesDrill && targets.isEmpty {
            message = "no service carries a drill record: the drills changed none of them"
        } else if actions.isEmpty {
            message = "every service already has its desired count"
        } else {
            message = (context.undoesDrill ? "returning to the size before the drill: " : "set ") + actions.joined(separator: ", ")
        }
        return StartResult(checkpoint: Progress(services: targets, clearsDrillRecords: context.undoesDrill ? true : nil).json, message: message)
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
        if waiting.isEmpty, progress.clearsDrillRecords == true {
            for target in progress.services {
                let arn = services[target]!.arn
                try await aws("removing \(target.label)'s drill record") { try await api.untag(arn, key: DrillRecord.tagKey) }
            }
            return .succeeded(message: progress.services.isEmpty ? "nothing to undo: no service carried a drill record"
                              : "back to the size before the drill: " + progress.services.map { "\($0.label) desired \($0.desired)" }.joined(separator: ", "))
        }
        if waiting.isEmpty {
            return .succeeded(message: progress.services.map { "\($0.label) running \($0.desired)" }.joined(separator: ", "))
        }
        return .inProgress(message: waiting.joined(separator: "; "), nextPoll: .seconds(15))
    }
}
