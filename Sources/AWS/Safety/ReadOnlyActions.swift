/// The AWS actions that only read, per service: what a read-only client may send.
///
/// An explicit allow-list rather than a rule such as "Describe*, List*, Get*": an action that is
/// not listed here is refused, so a new service call is read-only only once someone has looked
/// at it and added it. Each name is the operation as the service's API reference spells it.
public enum ReadOnlyActions {
    /// By endpoint prefix (`AWSService.endpointPrefix`).
    static let byService: [String: Set<String>] = [
        "sts": ["GetCallerIdentity"],
        "ssm": ["GetParameter", "GetParameters", "GetParametersByPath", "DescribeParameters"],
        "cloudformation": ["ListExports", "DescribeStacks", "ListStackResources"],
        "drs": ["DescribeJobs", "DescribeJobLogItems", "DescribeRecoveryInstances", "DescribeSourceServers",
                "GetLaunchConfiguration", "GetReplicationConfiguration", "ListTagsForResource"],
        "rds": ["DescribeDBClusters", "DescribeDBInstances", "DescribeGlobalClusters", "DescribeDBInstanceAutomatedBackups",
                "DescribeDBSnapshots", "ListTagsForResource"],
        "ec2": ["DescribeInstances", "DescribeInstanceStatus", "DescribeLaunchTemplates", "DescribeLaunchTemplateVersions",
                "DescribeTags", "DescribeSubnets", "DescribeSecurityGroups"],
        "ecs": ["DescribeServices", "DescribeClusters", "DescribeTasks", "ListServices", "ListTasks", "ListTagsForResource"],
        "application-autoscaling": ["DescribeScalableTargets", "DescribeScalingActivities", "DescribeScalingPolicies"],
        "autoscaling": ["DescribeAutoScalingGroups", "DescribeScalingActivities", "DescribeTags"],
        "route53": ["GetChange", "ListResourceRecordSets", "GetHostedZone", "ListHostedZones"],
        "elasticloadbalancing": ["DescribeLoadBalancers", "DescribeTargetGroups", "DescribeTargetHealth"],
        "events": ["DescribeRule", "ListRules", "DescribeArchive", "DescribeReplay", "ListReplays", "DescribeEventBus", "ListTagsForResource"],
        "lambda": ["GetFunction", "GetFunctionConfiguration", "ListFunctions", "ListTags"],
        "elasticache": ["DescribeGlobalReplicationGroups", "DescribeReplicationGroups", "DescribeCacheClusters", "ListTagsForResource"],
        "memory-db": ["DescribeClusters", "DescribeSnapshots", "ListTags"],
        "es": ["DescribeDomain", "DescribeDomainConfig", "DescribeDomainChangeProgress", "ListTags"],
    ]

    /// Whether `action` of `service` only reads.
    public static func allows(_ service: AWSService, _ action: String) -> Bool {
        byService[service.endpointPrefix]?.contains(action) ?? false
    }
}

/// A client restricted to reading: the region a drill must never change (API.md "Regions per
/// phase"). Modules get such a client for the serving region, so a module bug that would write
/// there fails with this refusal before a request leaves the process.
public struct ReadOnlyRestriction: Sendable, Hashable {
    /// Why this client only reads, for the error (for example "us-east-1 serves plan shop and a
    /// drill never changes the serving region").
    public var reason: String

    public init(reason: String) { self.reason = reason }

    /// The refusal for an action that would write.
    func refusal(_ service: AWSService, _ action: String, region: String) -> AWSError {
        AWSError(kind: .invalidRequest, service: service.signingName, operation: action, code: "ReadOnlyRegion",
                 message: "refused to call \(service.signingName):\(action) in \(region), which this client may only read: \(reason)",
                 hint: "this is a bug in the module that asked; nothing was sent to AWS")
    }
}
