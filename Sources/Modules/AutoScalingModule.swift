import AWS
import Engine
import LifeboatAPI
import YAML

/// EC2 Auto Scaling groups scaled to `DesiredCount` for the standby (Instantiate) and to zero
/// (Cleanup). Min and desired are set together so a scale-in policy cannot undo the pre-warm;
/// max is raised only when it is below the target.
///
/// A drill records each group's capacity on the group (a `DrillRecord` tag) before scaling it,
/// and Drill Cleanup returns every recorded group to that capacity, never to a fixed zero.
public struct AutoScalingModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .autoScaling) }

    /// The capacity one group is moved to.
    struct Target: Codable, Sendable, Hashable {
        var group: String
        var min: Int
        var desired: Int
        /// Set only when it must change (raised to fit, or restored after a drill).
        var max: Int?
    }

    struct Progress: Checkpoint {
        var targets: [Target]
        /// When Lifeboat asked; failed scaling activities after it fail the resource.
        var startedAt: Double
        /// Drill Cleanup: remove each group's drill record once it is back at the recorded capacity.
        var clearsDrillRecords: Bool?
    }

    private func groupNames(_ context: ModuleContext) throws(ModuleError) -> [String] {
        Array(Set(try ModuleParameters.decode(AutoScalingParameters.self, context, descriptor).autoScalingGroupNames)).sorted()
    }

    /// Recovery and drill scale-ups go to `DesiredCount` (Cleanup: 0); Drill Cleanup goes back
    /// to what each group's drill record says, and leaves groups without one alone.
    private func target(for group: AutoScaling.Group, _ context: ModuleContext) throws(ModuleError) -> Target? {
        if context.undoesDrill {
            guard let record = DrillRecord(tags: group.tags) else { return nil }
            guard let min = record.int("min"), let desired = record.int("desired"), let max = record.int("max") else {
                throw .permanent("\(group.name): the drill record \(DrillRecord.tagKey)=\"\(record.tagValue)\" lacks min, desired or max; set the group by hand and delete the tag",
                                 code: "BadDrillRecord")
            }
            return Target(group: group.name, min: min, desired: desired, max: max)
        }
        let wanted = context.phase == .cleanup ? 0 : try ModuleParameters.decode(AutoScalingParameters.self, context, descriptor).desiredCount
        return Target(group: group.name, min: wanted, desired: wanted, max: group.maxSize < wanted ? wanted : nil)
    }

    private func groups(_ names: [String], _ context: ModuleContext) async throws(ModuleError) -> [AutoScaling.Group] {
        let api = AutoScaling(await clients.client(for: context, region: context.actingRegion))
        let found = try await aws("describing Auto Scaling groups") { try await api.describeGroups(names) }
        let missing = names.filter { name in !found.contains { $0.name == name } }
        if !missing.isEmpty {
            throw .permanent("Auto Scaling group \(missing.joined(separator: ", ")) not found in account \(context.accountId), \(context.actingRegion)",
                             code: "ResourceNotFound")
        }
        return found.sorted { $0.name < $1.name }
    }

    private static func describe(_ target: Target) -> String {
        "min \(target.min), desired \(target.desired)" + (target.max.map { ", max \($0)" } ?? "")
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        var findings: [PreflightReport.Finding] = []
        for group in try await groups(try groupNames(context), context) {
            findings.append(.init(.ok, "\(group.name): min \(group.minSize), desired \(group.desiredCapacity), max \(group.maxSize), \(group.healthyInService) in service"))
            guard let target = try target(for: group, context) else {
                findings.append(.init(.ok, "\(group.name): no drill record, so Drill Cleanup leaves it as it is"))
                continue
            }
            if context.undoesDrill {
                findings.append(.init(.ok, "\(group.name): Drill Cleanup returns it to \(Self.describe(target))"))
            } else if let max = target.max {
                findings.append(.init(.warning, "\(group.name): max \(group.maxSize) is below \(max); \(context.phase) raises it"))
            }
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let api = AutoScaling(await clients.client(for: context, region: context.actingRegion))
        var targets: [Target] = []
        var changed: [String] = []
        for group in try await groups(try groupNames(context), context) {
            guard let target = try target(for: group, context) else { continue }
            targets.append(target)
            // Already there (a restarted run, or set by hand): asking again would only add a scaling activity.
            if group.minSize == target.min && group.desiredCapacity == target.desired && (target.max == nil || group.maxSize == target.max) { continue }
            if context.recordsDrill, DrillRecord(tags: group.tags) == nil {
                let record = DrillRecord(context, ["min": String(group.minSize), "desired": String(group.desiredCapacity), "max": String(group.maxSize)])
                try await aws("recording \(group.name)'s capacity before the drill") {
                    try await api.tagGroup(group.name, key: DrillRecord.tagKey, value: record.tagValue)
                }
            }
            context.logger.info("scaling auto scaling group", ["group": .string(group.name), "desired": .int(target.desired)])
            try await aws("scaling \(group.name) to \(Self.describe(target))") {
                try await api.updateGroup(group.name, minSize: target.min, maxSize: target.max, desiredCapacity: target.desired)
            }
            changed.append(group.name)
        }
        let progress = Progress(targets: targets, startedAt: AWSTimestamp.now(), clearsDrillRecords: context.undoesDrill ? true : nil)
        let message: String
        if context.undoesDrill && targets.isEmpty {
            message = "no group carries a drill record: the drills changed none of them"
        } else if changed.isEmpty {
            message = "every group already has its capacity (\(targets.map { "\($0.group) \(Self.describe($0))" }.joined(separator: "; ")))"
        } else {
            message = (context.undoesDrill ? "returning to the capacity before the drill: " : "set ")
                + targets.filter { changed.contains($0.group) }.map { "\($0.group) \(Self.describe($0))" }.joined(separator: "; ")
        }
        return StartResult(checkpoint: progress.json, message: message)
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "AutoScaling")
        let api = AutoScaling(await clients.client(for: context, region: context.actingRegion))
        var waiting: [String] = []
        let groups = try await groups(progress.targets.map(\.group), context)
        for target in progress.targets {
            guard let group = groups.first(where: { $0.name == target.group }) else { continue }
            let activities = try await aws("reading the scaling activities of \(group.name)") { try await api.recentActivities(group.name) }
            if let failed = activities.first(where: { $0.statusCode == "Failed" && ($0.startTime.flatMap(AWSTimestamp.parseISO8601) ?? 0) >= progress.startedAt - 1 }) {
                return .failed(reason: "\(group.name): scaling activity failed: \(failed.statusMessage ?? failed.description ?? failed.id)",
                               code: "ScalingActivityFailed")
            }
            if target.desired == 0, group.desiredCapacity > 0 {
                return .failed(reason: "\(group.name): desired capacity is \(group.desiredCapacity) again after Lifeboat set \(target.desired) (a scaling policy or another tool raised it); suspend it and retry",
                               code: "DesiredCapacityChanged")
            }
            if target.desired == 0 {
                if !group.instances.isEmpty { waiting.append("\(group.name) \(group.instances.count) instance(s) left") }
            } else if group.healthyInService < target.desired {
                waiting.append("\(group.name) \(group.healthyInService)/\(target.desired) in service")
            } else if group.instances.count > group.desiredCapacity {
                waiting.append("\(group.name) \(group.instances.count - group.desiredCapacity) instance(s) still terminating")
            }
        }
        if !waiting.isEmpty { return .inProgress(message: waiting.joined(separator: ", "), nextPoll: .seconds(15)) }
        if progress.clearsDrillRecords == true {
            for group in groups where DrillRecord(tags: group.tags) != nil {
                try await aws("removing \(group.name)'s drill record") { try await api.untagGroup(group.name, key: DrillRecord.tagKey) }
            }
            return .succeeded(message: progress.targets.isEmpty ? "nothing to undo: no group carried a drill record"
                              : "back to the capacity before the drill: " + progress.targets.map { "\($0.group) \(Self.describe($0))" }.joined(separator: "; "))
        }
        return .succeeded(message: "\(progress.targets.count) group(s) at their capacity: " + progress.targets.map { "\($0.group) desired \($0.desired)" }.joined(separator: ", "))
    }
}
