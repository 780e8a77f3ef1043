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
            .required("GlobalClusterIdentifier", .string(.format(.rdsIdentifier)), notes: "the Aurora global database"),
            .required("DBClusterIdentifier", .string(.format(.rdsIdentifier)),
                      notes: "the member cluster in the acting region (Activate targets its ARN)"),
            .required("DBInstanceIdentifier",
                      .stringOrList(.format(.rdsIdentifier), ListRule(unique: .strings(caseInsensitive: true))),
                      for: [.instantiate, .cleanup],
                      notes: "instances created by Instantiate (in the acting region) and deleted by Cleanup (in the old primary)"),
            .optional("DBInstanceClass", .string(.format(.dbInstanceClass)), default: "db.serverless",
                      notes: "class of the instances Instantiate creates"),
            .optional("FailoverType", .string(.oneOf(["Auto", "Switchover"])), default: "Auto",
                      notes: "Auto: switchover when Graceful, FailoverGlobalCluster with data loss only in an Ungraceful Recovery; Switchover: never lose data (the resource fails instead)"),
        ]))
}
