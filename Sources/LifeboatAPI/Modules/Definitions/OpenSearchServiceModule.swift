/// OpenSearch Service domain scaled up for the standby and down afterwards (MODULES.md): one
/// UpdateDomainConfig per phase, with the plain fields for Instantiate and `Cleanup*` for Cleanup.
enum OpenSearchServiceModule {
    static let descriptor = ModuleDescriptor(
        name: .openSearchService,
        summary: "Scale an OpenSearch Service domain up (Instantiate) and down to the Cleanup* sizes (Cleanup)",
        supportedPhases: [.instantiate, .cleanup],
        defaultTimeout: .hours(2),
        drillDefault: .execute,
        parameters: ObjectSchema(
            [
                .required("DomainName", .string(StringRule(minLength: 3, maxLength: 28, format: .openSearchDomainName)), notes: "3–28 lower-case letters, digits and hyphens"),
                .optional("DataNodeType", .string(.format(.openSearchInstanceType)), notes: "Instantiate: data node instance type"),
                .optional("DataNodeCount", .integer(.range(1...1002)), notes: "Instantiate: data node count"),
                .optional("MasterNodeType", .string(.format(.openSearchInstanceType)), notes: "Instantiate: dedicated master instance type"),
                .optional("MasterNodeCount", .integer(.oneOf([0, 3, 5])), notes: "Instantiate: dedicated masters (0 disables them)"),
                .optional("AzCount", .integer(.range(1...3)), notes: "Instantiate: availability zones (1 disables zone awareness)"),
                .optional("TotalStorageSize", .integer(.atLeast(10)), notes: "Instantiate: EBS volume size per data node, GiB"),
                .optional("SubnetList", .list(.string(.format(.subnetId)), ListRule(unique: .strings())),
                          notes: "VPC subnets of the domain, one per availability zone"),
                .optional("AutoTune", .boolean(), notes: "enable Auto-Tune"),
                .optional("CleanupDataNodeType", .string(.format(.openSearchInstanceType)), notes: "Cleanup: data node instance type"),
                .optional("CleanupDataNodeCount", .integer(.range(1...1002)), notes: "Cleanup: data node count"),
                .optional("CleanupMasterNodeType", .string(.format(.openSearchInstanceType)), notes: "Cleanup: dedicated master instance type"),
                .optional("CleanupMasterNodeCount", .integer(.oneOf([0, 3, 5])), notes: "Cleanup: dedicated masters (0 disables them)"),
                .optional("CleanupAzCount", .integer(.range(1...3)), notes: "Cleanup: availability zones"),
                .optional("CleanupTotalStorageSize", .integer(.atLeast(10)), notes: "Cleanup: EBS volume size per data node, GiB"),
            ],
            rules: [
                .atLeastOne(["DataNodeCount", "DataNodeType"], forPhases: [.instantiate]),
                .atLeastOne(cleanupFields, forPhases: [.cleanup]),
                .custom { object in zoneProblems(object, azKey: "AzCount", countKey: "DataNodeCount") },
                .custom { object in zoneProblems(object, azKey: "CleanupAzCount", countKey: "CleanupDataNodeCount") },
            ]))

    static let cleanupFields = ["CleanupDataNodeType", "CleanupDataNodeCount", "CleanupMasterNodeType",
                                "CleanupMasterNodeCount", "CleanupAzCount", "CleanupTotalStorageSize"]

    /// Zone awareness needs a subnet per zone. OpenSearch refuses an odd data node count on two
    /// zones (an error) and spreads nodes unevenly when the count is not a multiple of three on
    /// three zones (a warning).
    private static func zoneProblems(_ object: ObjectCheckContext, azKey: String, countKey: String) -> [ValidationProblem] {
        guard let zones = object.int(azKey), (2...3).contains(zones) else { return [] }  // out-of-range counts are already reported
        var problems: [ValidationProblem] = []
        if let subnets = object.object["SubnetList"]?.arrayValue, subnets.allSatisfy({ $0.literalString != nil }), subnets.count < zones {
            problems.append(ValidationProblem(object.path(azKey), "\(azKey) \(zones) needs a subnet in each zone, but SubnetList has \(subnets.count)",
                                              hint: "list \(zones) subnets in different availability zones, or lower \(azKey)"))
        }
        if let nodes = object.int(countKey), nodes % zones != 0 {
            problems.append(ValidationProblem(object.path(countKey), "\(countKey) \(nodes) is not a multiple of \(azKey) \(zones)",
                                              hint: "use a multiple of \(zones) so every zone holds the same number of data nodes",
                                              severity: zones == 2 ? .error : .warning))
        }
        return problems
    }
}
