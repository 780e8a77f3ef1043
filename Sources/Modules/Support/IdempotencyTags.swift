import Engine

/// The tags Lifeboat puts on what it starts (DRS jobs, RDS instances), so a restarted run finds
/// its own operation instead of starting another, and a later phase finds what an earlier one
/// launched.
enum IdempotencyTags {
    static let execution = "lifeboat.dev/execution"
    static let plan = "lifeboat.dev/plan"
    static let resource = "lifeboat.dev/resource"
    static let phase = "lifeboat.dev/phase"

    static func of(_ context: ModuleContext) -> [String: String] {
        [execution: context.executionUID, plan: context.planName, resource: context.resourceName, phase: context.phase.rawValue]
    }

    /// Whether `tags` mark something this execution's resource started.
    static func isOurs(_ tags: [String: String], _ context: ModuleContext) -> Bool {
        tags[execution] == context.executionUID && tags[resource] == context.resourceName
    }

    /// Whether `tags` mark something any execution of this plan's resource started.
    static func isThisResource(_ tags: [String: String], _ context: ModuleContext) -> Bool {
        tags[plan] == context.planName && tags[resource] == context.resourceName
    }
}
