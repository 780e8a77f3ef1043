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
                .required(ElastiCacheParameters.Key.globalReplicationGroupId.rawValue, .string(.format(.globalReplicationGroupId)),
                          notes: "the global datastore, with its AWS prefix (e.g. ldgnf-orders)"),
                .required(ElastiCacheParameters.Key.replicationGroupId.rawValue, .string(.format(.replicationGroupId)),
                          notes: "the acting region's member (promoted by Activate); Replicate creates a member of this id in the peer region"),
                .optional(ElastiCacheParameters.Key.deleteOldPrimary.rawValue, .boolean(), default: false,
                          notes: "Cleanup: disassociate and delete the old primary's replication group"),
                .required(ElastiCacheParameters.Key.subnetGroup.rawValue, .string(StringRule(maxLength: 255, format: .cacheSubnetGroupName)),
                          for: [.replicate], notes: "cache subnet group (in the peer region) for the member Replicate creates"),
                .optional(ElastiCacheParameters.Key.cacheNodeType.rawValue, .string(.format(.cacheNodeType)),
                          notes: "node type of the member Replicate creates; the datastore's when absent"),
                .optional(ElastiCacheParameters.Key.replicasPerNodeGroup.rawValue, .integer(.range(0...5)),
                          notes: "replicas of the member Replicate creates; the primary's when absent"),
            ],
            formerNames: ["GlobalClusterIdentifier": "GlobalReplicationGroupId", "DBClusterIdentifier": "ReplicationGroupId"]))
}

/// ElastiCache's parameters as the module reads them; the keys are spelled once, here.
public struct ElastiCacheParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case globalReplicationGroupId = "GlobalReplicationGroupId"
        case replicationGroupId = "ReplicationGroupId"
        case deleteOldPrimary = "DeleteOldPrimary"
        case subnetGroup = "SubnetGroup"
        case cacheNodeType = "CacheNodeType"
        case replicasPerNodeGroup = "ReplicasPerNodeGroup"
    }
    public var globalReplicationGroupId: String
    public var replicationGroupId: String
    public var deleteOldPrimary: Bool
    /// Validated present for Replicate.
    public var subnetGroup: String?
    public var cacheNodeType: String?
    public var replicasPerNodeGroup: Int?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        globalReplicationGroupId = try c.decode(String.self, forKey: .globalReplicationGroupId)
        replicationGroupId = try c.decode(String.self, forKey: .replicationGroupId)
        deleteOldPrimary = try c.decode(Bool.self, forKey: .deleteOldPrimary)
        subnetGroup = try c.decodeIfPresent(String.self, forKey: .subnetGroup)
        cacheNodeType = try c.decodeIfPresent(String.self, forKey: .cacheNodeType)
        replicasPerNodeGroup = try c.decodeIfPresent(Int.self, forKey: .replicasPerNodeGroup)
    }
}
