import AWS
import Engine
import LifeboatAPI
import YAML

/// EC2 Auto Scaling groups scaled to `DesiredCount` for the standby (Instantiate) and to zero
/// (Cleanup). Min and desired are set together so a scale-in policy cannot undo the pre-warm;
/// max is raised only when it is below the target.
public struct AutoScalingModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .autoScaling) }

    struct Progress: Checkpoint {
        var groups: [String]
        var target: Int
        /// When Lifeboat asked; failed scaling activities after it fail the resource.
        var startedAt: Double
    }

    private struct Request {
        var groups: [String]
        var target: Int
    }

    private func request(_ context: ModuleContext) throws(ModuleError) -> Request {
        let parameters = try ModuleParameters(context, descriptor)
        let groups = parameters.strings("AutoScalingGroupNames") ?? []
        let target = context.phase == .cleanup ? 0 : parameters.int("DesiredCount") ?? 0
        return Request(groups: Array(Set(groups)).sorted(), target: target)
    }

    private func groups(_ names: [String], _ context: ModuleContext) async throws(ModuleError) -> [AutoScaling.Group] {
        let api = AutoScaling(await clients.client(for: context, region: context.actingRegion))
        let found = try await aws("describing Auto Scaling groups") { try await api.describeGroups(names) }
        let missing = names.filter { name in !found.contains { $0.name == name } }
        if !missing.isEmpty {
            throw .permanent("Auto Scaling group \(missing.joined(separator: ", ")) not found in account \(context.accountId), \(context.actingRegion)",
                             code: "ResourceNotFound")
        }
        return found
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let request = try request(context)
        var findings: [PreflightReport.Finding] = []
        for group in try await groups(request.groups, context) {
            findings.append(.init(.ok, "\(group.name): min \(group.minSize), desired \(group.desiredCapacity), max \(group.maxSize), \(group.healthyInService) in service"))
            if group.maxSize < request.target {
                findings.append(.init(.warning, "\(group.name): max \(group.maxSize) is below \(request.target); \(context.phase) raises it"))
            }
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let request = try request(context)
        let api = AutoScaling(await clients.client(for: context, region: context.actingRegion))
        var changed: [String] = []
        for group in try await groups(request.groups, context) {
            // Already there (a restarted run, or set by hand): asking again would only add a scaling activity.
            if group.minSize == request.target && group.desiredCapacity == request.target && group.maxSize >= request.target { continue }
            let maxSize = group.maxSize < request.target ? request.target : nil
            context.logger.info("scaling auto scaling group", ["group": .string(group.name), "target": .int(request.target)])
            try await aws("scaling \(group.name) to \(request.target)") {
                try await api.updateGroup(group.name, minSize: request.target, maxSize: maxSize, desiredCapacity: request.target)
            }
            changed.append(group.name)
        }
        let progress = Progress(groups: request.groups, target: request.target, startedAt: AWSTimestamp.now())
        let message = changed.isEmpty
            ? "every group already has min and desired \(request.target)"
            : "set min and desired \(request.target) on \(changed.joined(separator: ", "))"
        return StartResult(checkpoint: progress.json, message: message)
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "AutoScaling")
        let api = AutoScaling(await clients.client(for: context, region: context.actingRegion))
        var waiting: [String] = []
        for group in try await groups(progress.groups, context) {
            let activities = try await aws("reading the scaling activities of \(group.name)") { try await api.recentActivities(group.name) }
            if let failed = activities.first(where: { $0.statusCode == "Failed" && ($0.startTime.flatMap(AWSTimestamp.parseISO8601) ?? 0) >= progress.startedAt - 1 }) {
                return .failed(reason: "\(group.name): scaling activity failed: \(failed.statusMessage ?? failed.description ?? failed.id)",
                               code: "ScalingActivityFailed")
            }
            if progress.target == 0 {
                if group.desiredCapacity > 0 {
                    return .failed(reason: "\(group.name): desired capacity is \(group.desiredCapacity) again after Lifeboat set 0 (a scaling policy or another tool raised it); suspend it and retry",
                                   code: "DesiredCapacityChanged")
                }
                if !group.instances.isEmpty { waiting.append("\(group.name) \(group.instances.count) instance(s) left") }
            } else if group.healthyInService < progress.target {
                waiting.append("\(group.name) \(group.healthyInService)/\(progress.target) in service")
            }
        }
        if waiting.isEmpty {
            return .succeeded(message: "\(progress.groups.count) group(s) at \(progress.target) healthy instance(s) in service")
        }
        return .inProgress(message: waiting.joined(separator: ", "), nextPoll: .seconds(15))
    }
}
