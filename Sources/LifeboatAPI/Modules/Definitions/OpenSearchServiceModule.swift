/// OpenSearch Service domain scaled up for the standby and down afterwards (MODULES.md): one
/// UpdateDomainConfig per phase, with the plain fields for Instantiate and `Cleanup*` for Cleanup.
enum OpenSearchServiceModule {
    typealias K = OpenSearchServiceParameters.Key

    static let descriptor = ModuleDescriptor(
        name: .openSearchService,
        summary: "Scale an OpenSearch Service domain up (Instantiate) and down to the Cleanup* sizes (Cleanup)",
        supportedPhases: [.instantiate, .cleanup],
        defaultTimeout: .hours(2),
        drillDefault: .execute,
        parameters: ObjectSchema(
            [
                .required(K.domainName.rawValue, .string(StringRule(minLength: 3, maxLength: 28, format: .openSearchDomainName)), notes: "3–28 lower-case letters, digits and hyphens"),
                .optional(K.dataNodeType.rawValue, .string(.format(.openSearchInstanceType)), notes: "Instantiate: data node instance type"),
                .optional(K.dataNodeCount.rawValue, .integer(.range(1...1002)), notes: "Instantiate: data node count"),
                .optional(K.masterNodeType.rawValue, .string(.format(.openSearchInstanceType)), notes: "Instantiate: dedicated master instance type"),
                .optional(K.masterNodeCount.rawValue, .integer(.oneOf([0, 3, 5])), notes: "Instantiate: dedicated masters (0 disables them)"),
                .optional(K.azCount.rawValue, .integer(.range(1...3)), notes: "Instantiate: availability zones (1 disables zone awareness)"),
                .optional(K.totalStorageSize.rawValue, .integer(.atLeast(10)), notes: "Instantiate: EBS volume size per data node, GiB"),
                .optional(K.subnetList.rawValue, .list(.string(.format(.subnetId)), ListRule(unique: .strings())),
                          notes: "VPC subnets of the domain, one per availability zone"),
                .optional(K.autoTune.rawValue, .boolean(), notes: "enable Auto-Tune"),
                .optional(K.cleanupDataNodeType.rawValue, .string(.format(.openSearchInstanceType)), notes: "Cleanup: data node instance type"),
                .optional(K.cleanupDataNodeCount.rawValue, .integer(.range(1...1002)), notes: "Cleanup: data node count"),
                .optional(K.cleanupMasterNodeType.rawValue, .string(.format(.openSearchInstanceType)), notes: "Cleanup: dedicated master instance type"),
                .optional(K.cleanupMasterNodeCount.rawValue, .integer(.oneOf([0, 3, 5])), notes: "Cleanup: dedicated masters (0 disables them)"),
                .optional(K.cleanupAzCount.rawValue, .integer(.range(1...3)), notes: "Cleanup: availability zones"),
                .optional(K.cleanupTotalStorageSize.rawValue, .integer(.atLeast(10)), notes: "Cleanup: EBS volume size per data node, GiB"),
            ],
            rules: [
                .atLeastOne([K.dataNodeCount.rawValue, K.dataNodeType.rawValue], forPhases: [.instantiate]),
                .atLeastOne(cleanupFields, forPhases: [.cleanup]),
                .custom { object in zoneProblems(object, azKey: K.azCount.rawValue, countKey: K.dataNodeCount.rawValue) },
                .custom { object in zoneProblems(object, azKey: K.cleanupAzCount.rawValue, countKey: K.cleanupDataNodeCount.rawValue) },
            ]))

    static let cleanupFields = [K.cleanupDataNodeType, .cleanupDataNodeCount, .cleanupMasterNodeType,
                                .cleanupMasterNodeCount, .cleanupAzCount, .cleanupTotalStorageSize].map(\.rawValue)

    /// Zone awareness needs a subnet per zone. OpenSearch refuses an odd data node count on two
    /// zones (an error) and spreads nodes unevenly when the count is not a multiple of three on
    /// three zones (a warning).
    private static func zoneProblems(_ object: ObjectCheckContext, azKey: String, countKey: String) -> [ValidationProblem] {
        guard let zones = object.int(azKey), (2...3).contains(zones) else { return [] }  // out-of-range counts are already reported
        var problems: [ValidationProblem] = []
        if let subnets = object.object[K.subnetList.rawValue]?.arrayValue, subnets.allSatisfy({ $0.literalString != nil }), subnets.count < zones {
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

/// OpenSearchService's parameters as the module reads them; the keys are spelled once, here.
public struct OpenSearchServiceParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case domainName = "DomainName"
        case dataNodeType = "DataNodeType", dataNodeCount = "DataNodeCount"
        case masterNodeType = "MasterNodeType", masterNodeCount = "MasterNodeCount"
        case azCount = "AzCount", totalStorageSize = "TotalStorageSize"
        case subnetList = "SubnetList", autoTune = "AutoTune"
        case cleanupDataNodeType = "CleanupDataNodeType", cleanupDataNodeCount = "CleanupDataNodeCount"
        case cleanupMasterNodeType = "CleanupMasterNodeType", cleanupMasterNodeCount = "CleanupMasterNodeCount"
        case cleanupAzCount = "CleanupAzCount", cleanupTotalStorageSize = "CleanupTotalStorageSize"
    }

    /// The sizes one phase asks for; nil leaves that part of the domain as it is.
    public struct Sizes: Sendable, Hashable {
        public var dataNodeType: String?
        public var dataNodeCount: Int?
        public var masterNodeType: String?
        /// 0 disables dedicated masters.
        public var masterNodeCount: Int?
        public var azCount: Int?
        public var totalStorageSize: Int?
    }

    public var domainName: String
    /// Instantiate's sizes.
    public var scaleUp: Sizes
    /// Recovery Cleanup's sizes (the `Cleanup*` parameters).
    public var scaleDown: Sizes
    public var subnetList: [String]?
    public var autoTune: Bool?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        domainName = try c.decode(String.self, forKey: .domainName)
        scaleUp = Sizes(dataNodeType: try c.decodeIfPresent(String.self, forKey: .dataNodeType),
                        dataNodeCount: try c.decodeIfPresent(Int.self, forKey: .dataNodeCount),
                        masterNodeType: try c.decodeIfPresent(String.self, forKey: .masterNodeType),
                        masterNodeCount: try c.decodeIfPresent(Int.self, forKey: .masterNodeCount),
                        azCount: try c.decodeIfPresent(Int.self, forKey: .azCount),
                        totalStorageSize: try c.decodeIfPresent(Int.self, forKey: .totalStorageSize))
        scaleDown = Sizes(dataNodeType: try c.decodeIfPresent(String.self, forKey: .cleanupDataNodeType),
                          dataNodeCount: try c.decodeIfPresent(Int.self, forKey: .cleanupDataNodeCount),
                          masterNodeType: try c.decodeIfPresent(String.self, forKey: .cleanupMasterNodeType),
                          masterNodeCount: try c.decodeIfPresent(Int.self, forKey: .cleanupMasterNodeCount),
                          azCount: try c.decodeIfPresent(Int.self, forKey: .cleanupAzCount),
                          totalStorageSize: try c.decodeIfPresent(Int.self, forKey: .cleanupTotalStorageSize))
        subnetList = try c.decodeIfPresent([String].self, forKey: .subnetList)
        autoTune = try c.decodeIfPresent(Bool.self, forKey: .autoTune)
    }
}
