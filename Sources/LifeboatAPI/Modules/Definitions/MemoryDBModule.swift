/// MemoryDB has no cross-region replication: Cleanup saves the cluster's configuration in SSM
/// and deletes it, Activate recreates it from a snapshot with that configuration (MODULES.md).
///
/// The enterprise module restored "the backup" under `BackupBucket`/`Prefix`; finding that .rdb
/// means listing the bucket, which needs an S3 client Lifeboat does not have. Those keys stay in
/// the schema only so a converted plan is told exactly what to write instead.
enum MemoryDBModule {
    static let descriptor = ModuleDescriptor(
        name: .memoryDB,
        summary: "MemoryDB: restore a cluster from a snapshot with its saved configuration (Activate); save and delete (Cleanup)",
        supportedPhases: [.activate, .cleanup],
        defaultTimeout: .hours(1),
        drillDefault: .validate,
        parameters: ObjectSchema(
            [
                .required(MemoryDBParameters.Key.clusterName.rawValue, .string(.format(.memoryDBClusterName)),
                          notes: "1–40 lower-case letters, digits and hyphens"),
                .required(MemoryDBParameters.Key.clusterConfigSSMKey.rawValue, .string(StringRule(maxLength: 2048, format: .ssmParameterName)),
                          notes: "SSM parameter holding the cluster configuration (written by Cleanup in its region, read by Activate in its own)"),
                .required(MemoryDBParameters.Key.clusterEndpointSSMKey.rawValue, .string(StringRule(maxLength: 2048, format: .ssmParameterName)),
                          for: [.activate], notes: "SSM parameter Activate writes the new endpoint (address:port) to"),
                .optional(MemoryDBParameters.Key.snapshotArns.rawValue, .list(.string(.format(.s3ObjectArn)), ListRule(unique: .strings())),
                          notes: "restore source: S3 ARNs of .rdb files (MemoryDB reads them itself)"),
                .optional(MemoryDBParameters.Key.snapshotName.rawValue, .string(StringRule(minLength: 1, maxLength: 255)),
                          notes: "restore source: a MemoryDB snapshot in the acting region"),
                .optional(MemoryDBParameters.Key.backupBucket.rawValue, .string(.format(.s3BucketName)),
                          notes: "not supported (needs an S3 client to find the .rdb); give SnapshotArns instead"),
                .optional(MemoryDBParameters.Key.prefix.rawValue, .string(StringRule(minLength: 0, maxLength: 1024)),
                          notes: "not supported (needs an S3 client to find the .rdb); give SnapshotArns instead"),
                .optional(MemoryDBParameters.Key.tags.rawValue, .stringMap(), notes: "tags of the restored cluster"),
            ],
            rules: [
                .custom { object in
                    [MemoryDBParameters.Key.backupBucket, .prefix].filter { object.has($0.rawValue) }.map { key in
                        ValidationProblem(object.path(key.rawValue),
                                          "restoring the backup under BackupBucket/Prefix is not supported: finding the .rdb needs an S3 client, which Lifeboat does not have",
                                          hint: "give SnapshotArns: [arn:aws:s3:::<bucket>/<key>.rdb], or SnapshotName")
                    }
                },
                .custom { object in
                    guard object.runs(.activate) else { return [] }
                    let sources = [MemoryDBParameters.Key.snapshotArns, .snapshotName].filter { object.has($0.rawValue) }
                    if sources.count == 2 {
                        return [ValidationProblem(object.path, "two restore sources: give SnapshotArns or SnapshotName, not both",
                                                  hint: "keep the one Activate restores from")]
                    }
                    guard sources.isEmpty, !object.has(MemoryDBParameters.Key.backupBucket.rawValue) else { return [] }
                    return [ValidationProblem(object.path, "no restore source: give SnapshotArns or SnapshotName (needed to run Activate)",
                                              hint: "add SnapshotArns: [arn:aws:s3:::<bucket>/<key>.rdb], or SnapshotName")]
                },
            ]))
}

/// MemoryDB's parameters as the module reads them; the keys are spelled once, here.
public struct MemoryDBParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case clusterName = "ClusterName"
        case clusterConfigSSMKey = "ClusterConfigSSMKey"
        case clusterEndpointSSMKey = "ClusterEndpointSSMKey"
        case snapshotArns = "SnapshotArns"
        case snapshotName = "SnapshotName"
        case backupBucket = "BackupBucket"
        case prefix = "Prefix"
        case tags = "Tags"
    }
    public var clusterName: String
    public var clusterConfigSSMKey: String
    /// Validated present for Activate.
    public var clusterEndpointSSMKey: String?
    public var snapshotArns: [String]?
    public var snapshotName: String?
    public var tags: [String: String]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        clusterName = try c.decode(String.self, forKey: .clusterName)
        clusterConfigSSMKey = try c.decode(String.self, forKey: .clusterConfigSSMKey)
        clusterEndpointSSMKey = try c.decodeIfPresent(String.self, forKey: .clusterEndpointSSMKey)
        snapshotArns = try c.decodeIfPresent([String].self, forKey: .snapshotArns)
        snapshotName = try c.decodeIfPresent(String.self, forKey: .snapshotName)
        tags = try c.decodeIfPresent([String: String].self, forKey: .tags) ?? [:]
    }
}
