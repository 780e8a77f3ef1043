/// ElastiCache (Redis OSS / Valkey) global datastore (MODULES.md). The enterprise module derived
/// ids from hard-coded region prefixes and a subnet group name; both are explicit here.
enum ElastiCacheModule {
    static let descriptor = ModuleDescriptor(
        name: .elastiCache,
        summary: "ElastiCache global datastore: fail over to the acting region, optionally delete the old primary, re-join a member",
        supportedPhases: [.activate, .cleanup, .replicate],
        defaultTimeout: .hours(1),
        drillDefault: .validate,
        parameters: ObjectSchema(
            [
                .required("GlobalReplicationGroupId", .string(.format(.globalReplicationGroupId)),
                          notes: "the global datastore, with its AWS prefix (e.g. ldgnf-orders)"),
                .required("ReplicationGroupId", .string(.format(.replicationGroupId)),
                          notes: "the acting region's member (promoted by Activate, created by Replicate)"),
                .optional("DeleteOldPrimary", .boolean(), default: false,
                          notes: "Cleanup: disassociate and delete the old primary's replication group"),
                .required("SubnetGroup", .string(StringRule(maxLength: 255, format: .cacheSubnetGroupName)), for: [.replicate],
                          notes: "cache subnet group for the member Replicate creates"),
                .optional("CacheNodeType", .string(.format(.cacheNodeType)),
                          notes: "node type of the member Replicate creates; the primary's when absent"),
                .optional("ReplicasPerNodeGroup", .integer(.range(0...5)),
                          notes: "replicas of the member Replicate creates; the primary's when absent"),
            ],
            formerNames: ["GlobalClusterIdentifier": "GlobalReplicationGroupId", "DBClusterIdentifier": "ReplicationGroupId"]))
}
