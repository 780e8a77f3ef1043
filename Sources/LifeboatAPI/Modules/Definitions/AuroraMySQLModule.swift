/// Aurora MySQL global database (MODULES.md). The enterprise module read `AccountId` inside
/// parameters and always failed over with AllowDataLoss; here the account is the resource's and
/// the failover kind follows the execution strategy unless `FailoverType` pins Switchover.
enum AuroraMySQLModule {
    static let descriptor = ModuleDescriptor(
        name: .auroraMySQL,
        summary: "Aurora MySQL global database: create headless readers, switch over or fail over to the acting region, delete the old primary's instances",
        supportedPhases: [.instantiate, .activate, .cleanup],
        defaultTimeout: .hours(1),
        // A drill creates the standby's readers (Instantiate) and deletes the ones it created
        // (Cleanup); the switchover itself would change which region serves, so it only validates.
        drillDefault: .validate,
        drillDefaultsByPhase: [.instantiate: .execute, .cleanup: .execute],
        parameters: ObjectSchema([
            .required(AuroraMySQLParameters.Key.globalClusterIdentifier.rawValue, .string(.format(.rdsIdentifier)), notes: "the Aurora global database"),
            .required(AuroraMySQLParameters.Key.dbClusterIdentifier.rawValue, .string(.format(.rdsIdentifier)),
                      notes: "the member cluster in the acting region (Activate targets its ARN)"),
            .required(AuroraMySQLParameters.Key.dbInstanceIdentifier.rawValue,
                      .stringOrList(.format(.rdsIdentifier), ListRule(unique: .strings(caseInsensitive: true))),
                      for: [.instantiate, .cleanup],
                      notes: "instances created by Instantiate (in the acting region) and deleted by Cleanup (in the old primary)"),
            .optional(AuroraMySQLParameters.Key.dbInstanceClass.rawValue, .string(.format(.dbInstanceClass)), default: "db.serverless",
                      notes: "class of the instances Instantiate creates"),
            .optional(AuroraMySQLParameters.Key.failoverType.rawValue, .string(.oneOf(["Auto", "Switchover"])), default: "Auto",
                      notes: "Auto: switchover when Graceful, FailoverGlobalCluster with data loss only in an Ungraceful Recovery; Switchover: never lose data (the resource fails instead)"),
        ]))
}

/// AuroraMySQL's parameters as the module reads them; the keys are spelled once, here.
public struct AuroraMySQLParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case globalClusterIdentifier = "GlobalClusterIdentifier"
        case dbClusterIdentifier = "DBClusterIdentifier"
        case dbInstanceIdentifier = "DBInstanceIdentifier"
        case dbInstanceClass = "DBInstanceClass"
        case failoverType = "FailoverType"
    }
    public var globalClusterIdentifier: String
    public var dbClusterIdentifier: String
    /// Empty in Activate, which does not need it.
    public var dbInstanceIdentifiers: [String]
    public var dbInstanceClass: String
    /// Auto or Switchover.
    public var failoverType: String

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        globalClusterIdentifier = try c.decode(String.self, forKey: .globalClusterIdentifier)
        dbClusterIdentifier = try c.decode(String.self, forKey: .dbClusterIdentifier)
        dbInstanceIdentifiers = try c.decodeIfPresent(StringOrList.self, forKey: .dbInstanceIdentifier)?.values ?? []
        dbInstanceClass = try c.decode(String.self, forKey: .dbInstanceClass)
        failoverType = try c.decode(String.self, forKey: .failoverType)
    }
}
