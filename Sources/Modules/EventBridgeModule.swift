import AWS
import Engine
import LifeboatAPI
import YAML

/// Enables EventBridge rules in the acting region (Activate) and disables them (Cleanup). A rule
/// already in the wanted state is not asked again, so a restarted run changes nothing twice.
///
/// A drill records each rule's state on the rule (a `DrillRecord` tag) before enabling it, and
/// Drill Cleanup returns exactly the recorded rules to that state: a drill leaves the standby's
/// rules as it found them, and never touches the serving region's.
public struct EventBridgeModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .eventBridge) }

    /// One rule and the state it is moved to.
    struct Target: Codable, Sendable, Hashable {
        var rule: String
        var bus: String
        var arn: String
        /// ENABLED or DISABLED.
        var state: String
        var label: String { bus == "default" ? rule : "\(rule) on \(bus)" }
    }

    struct Progress: Checkpoint {
        var targets: [Target]
        /// Drill Cleanup: remove each rule's drill record once it is back in the recorded state.
        var clearsDrillRecords: Bool?
    }

    private func parameters(_ context: ModuleContext) throws(ModuleError) -> EventBridgeParameters {
        try ModuleParameters.decode(EventBridgeParameters.self, context, descriptor)
    }

    private func api(_ context: ModuleContext) async -> EventBridge {
        EventBridge(await clients.client(for: context, region: context.actingRegion))
    }

    private func describe(_ item: EventBridgeParameters.Rule, _ api: EventBridge, _ context: ModuleContext) async throws(ModuleError) -> EventBridge.Rule {
        do throws(ModuleError) {
            return try await aws("reading rule \(item.eventRuleName) on bus \(item.busName)") { try await api.describeRule(item.eventRuleName, bus: item.busName) }
        } catch where error.code == "ResourceNotFoundException" {
            throw .permanent("EventBridge rule \(item.eventRuleName) not found on bus \(item.busName) in account \(context.accountId), \(context.actingRegion)",
                             code: "ResourceNotFoundException")
        }
    }

    /// The state each rule goes to; nil leaves the rule alone (Drill Cleanup of a rule the drills did not change).
    private func wantedState(_ rule: EventBridge.Rule, tags: [String: String], _ context: ModuleContext) throws(ModuleError) -> String? {
        guard context.undoesDrill else { return context.phase == .cleanup ? "DISABLED" : "ENABLED" }
        guard let record = DrillRecord(tags: tags) else { return nil }
        guard let state = record.values["state"], ["ENABLED", "DISABLED"].contains(state) else {
            throw .permanent("\(rule.name): the drill record \(DrillRecord.tagKey)=\"\(record.tagValue)\" has no state ENABLED or DISABLED; set the rule by hand and delete the tag",
                             code: "BadDrillRecord")
        }
        return state
    }

    private static func matches(_ rule: EventBridge.Rule, _ state: String) -> Bool {
        state == "ENABLED" ? rule.isEnabled : rule.state == state
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let api = await api(context)
        var findings: [PreflightReport.Finding] = []
        for item in try parameters(context).items {
            let rule: EventBridge.Rule
            do throws(ModuleError) {
                rule = try await describe(item, api, context)
            } catch where error.code == "ResourceNotFoundException" {
                findings.append(.init(.blocking, error.message))
                continue
            }
            if let owner = rule.managedBy {
                findings.append(.init(.blocking, "\(item.eventRuleName) is managed by \(owner): only that service may enable or disable it"))
                continue
            }
            let tags = try await aws("reading the tags of rule \(item.eventRuleName)") { try await api.tags(of: rule.arn) }
            guard let wanted = try wantedState(rule, tags: tags, context) else {
                findings.append(.init(.ok, "\(item.eventRuleName) is \(rule.state) and carries no drill record, so Drill Cleanup leaves it as it is"))
                continue
            }
            findings.append(.init(.ok, Self.matches(rule, wanted) ? "\(item.eventRuleName) is already \(rule.state)" : "\(item.eventRuleName): \(rule.state) → \(wanted)"))
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let api = await api(context)
        // Every rule is read before any is changed: a missing one fails the resource with nothing changed.
        var current: [(item: EventBridgeParameters.Rule, rule: EventBridge.Rule, tags: [String: String])] = []
        for item in try parameters(context).items {
            let rule = try await describe(item, api, context)
            let tags = try await aws("reading the tags of rule \(item.eventRuleName)") { try await api.tags(of: rule.arn) }
            current.append((item, rule, tags))
        }
        var targets: [Target] = []
        var changed: [String] = []
        for (item, rule, tags) in current {
            guard let wanted = try wantedState(rule, tags: tags, context) else { continue }
            let target = Target(rule: item.eventRuleName, bus: item.busName, arn: rule.arn, state: wanted)
            targets.append(target)
            if Self.matches(rule, wanted) { continue }
            if context.recordsDrill, DrillRecord(tags: tags) == nil {
                let record = DrillRecord(context, ["state": rule.isEnabled ? "ENABLED" : "DISABLED"])
                try await aws("recording the state of rule \(target.label) before the drill") {
                    try await api.tag(rule.arn, key: DrillRecord.tagKey, value: record.tagValue)
                }
            }
            context.logger.info("setting eventbridge rule state", ["rule": .string(item.eventRuleName), "bus": .string(item.busName), "state": .string(wanted)])
            try await aws("\(wanted == "ENABLED" ? "enabling" : "disabling") rule \(target.label)") {
                if wanted == "ENABLED" { try await api.enableRule(item.eventRuleName, bus: item.busName) } else { try await api.disableRule(item.eventRuleName, bus: item.busName) }
            }
            changed.append(target.label)
        }
        let progress = Progress(targets: targets, clearsDrillRecords: context.undoesDrill ? true : nil)
        let message: String
        if context.undoesDrill && targets.isEmpty {
            message = "no rule carries a drill record: the drills changed none of them"
        } else if changed.isEmpty {
            message = "every rule is already " + Set(targets.map(\.state)).sorted().joined(separator: "/") + ": " + targets.map(\.label).joined(separator: ", ")
        } else {
            message = (context.undoesDrill ? "returning to the state before the drill: " : "")
                + targets.filter { changed.contains($0.label) }.map { "\($0.label) → \($0.state)" }.joined(separator: ", ")
        }
        return StartResult(checkpoint: progress.json, message: message)
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "EventBridge")
        let api = await api(context)
        for target in progress.targets {
            let rule: EventBridge.Rule
            do throws(ModuleError) {
                rule = try await aws("reading rule \(target.label)") { try await api.describeRule(target.rule, bus: target.bus) }
            } catch where error.code == "ResourceNotFoundException" {
                return .failed(reason: "rule \(target.label) was deleted in \(context.actingRegion) after Lifeboat set it \(target.state)", code: "RuleDeleted")
            }
            // EnableRule and DisableRule take effect when they answer: another state now means someone changed it back.
            if !Self.matches(rule, target.state) {
                return .failed(reason: "rule \(target.label) is \(rule.state), not \(target.state): another tool changed it after Lifeboat did", code: "RuleStateChanged")
            }
        }
        if progress.clearsDrillRecords == true {
            for target in progress.targets {
                try await aws("removing the drill record of rule \(target.label)") { try await api.untag(target.arn, key: DrillRecord.tagKey) }
            }
            return .succeeded(message: progress.targets.isEmpty ? "nothing to undo: no rule carried a drill record"
                              : "back to the state before the drill: " + progress.targets.map { "\($0.label) \($0.state)" }.joined(separator: ", "))
        }
        return .succeeded(message: "\(progress.targets.count) rule(s) \(progress.targets.map { "\($0.label) \($0.state)" }.joined(separator: ", "))")
    }
}
