/// MemoryDB has no cross-region replication: Cleanup saves the cluster's configuration in SSM
/// and deletes it, Activate recreates it from a snapshot or S3 backup (MODULES.md).
enum MemoryDBModule {
    static let descriptor = ModuleDescriptor(
        name: .memoryDB,
        summary: "MemoryDB: restore a cluster from a snapshot or S3 backup with its saved configuration (Activate); save and delete (Cleanup)",
        supportedPhases: [.activate, .cleanup],
        defaultTimeout: .hours(1),
        drillDefault: .validate,
        parameters: ObjectSchema(
            [
                .required("ClusterName", .string(.format(.memoryDBClusterName)), notes: "1–40 lower-case letters, digits and hyphens"),
                .required("ClusterConfigSSMKey", .string(StringRule(maxLength: 2048, format: .ssmParameterName)),
                          notes: "SSM parameter holding the cluster configuration (written by Cleanup, read by Activate)"),
                .required("ClusterEndpointSSMKey", .string(StringRule(maxLength: 2048, format: .ssmParameterName)), for: [.activate],
                          notes: "SSM parameter Activate writes the new endpoint to"),
                .optional("SnapshotArns", .list(.string(.format(.s3ObjectArn)), ListRule(unique: .strings())),
                          notes: "restore source: S3 ARNs of .rdb files"),
                .optional("BackupBucket", .string(.format(.s3BucketName)), notes: "restore source: bucket of the backup (with Prefix)"),
                .optional("Prefix", .string(StringRule(minLength: 0, maxLength: 1024)), notes: "restore source: key prefix of the .rdb files in BackupBucket"),
                .optional("Tags", .stringMap(), notes: "tags of the restored cluster"),
            ],
            rules: [
                .requires("BackupBucket", "Prefix"),
                .requires("Prefix", "BackupBucket"),
                .custom { object in
                    guard object.runs(.activate), !["SnapshotArns", "BackupBucket", "Prefix"].contains(where: object.has) else { return [] }
                    return [ValidationProblem(object.path, "no restore source: give SnapshotArns, or BackupBucket and Prefix (needed to run Activate)",
                                              hint: "add SnapshotArns: [arn:aws:s3:::<bucket>/<key>.rdb], or BackupBucket and Prefix")]
                },
            ]))
}
