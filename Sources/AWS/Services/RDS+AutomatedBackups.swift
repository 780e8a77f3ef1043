/// The RDS calls of the SQLServer module: automated backups replicated across regions, a
/// point-in-time restore from them, and deleting an instance with a final snapshot.
extension RDS {
    public struct AutomatedBackup: Sendable, Hashable {
        /// DBInstanceAutomatedBackupsArn: what a restore names.
        public var arn: String
        public var dbInstanceArn: String
        public var dbInstanceIdentifier: String
        /// The region of the instance the backups are of.
        public var sourceRegion: String
        /// pending, replicating, active, retained, …
        public var status: String
        public var latestRestorableTime: String?
    }

    public func automatedBackups(of identifier: String) async throws -> [AutomatedBackup] {
        do {
            let result = try await client.query(.rds, "DescribeDBInstanceAutomatedBackups", [("DBInstanceIdentifier", identifier)]).queryResult()
            return (result["DBInstanceAutomatedBackups"]?.children ?? []).map {
                AutomatedBackup(arn: $0.string("DBInstanceAutomatedBackupsArn") ?? "", dbInstanceArn: $0.string("DBInstanceArn") ?? "",
                                dbInstanceIdentifier: $0.string("DBInstanceIdentifier") ?? identifier, sourceRegion: $0.string("Region") ?? "",
                                status: $0.string("Status") ?? "", latestRestorableTime: $0["RestoreWindow"]?.string("LatestTime"))
            }
        } catch let error as AWSError where error.code == "DBInstanceAutomatedBackupNotFound" || error.code == "DBInstanceAutomatedBackupNotFoundFault" {
            return []
        }
    }

    /// RestoreDBInstanceToPointInTime from replicated automated backups, to the latest restorable time.
    public func restoreLatest(fromAutomatedBackups backupArn: String, into target: String, instanceClass: String?,
                              tags: [String: String]) async throws -> String {
        var parameters: QueryParameters = [("SourceDBInstanceAutomatedBackupsArn", backupArn), ("TargetDBInstanceIdentifier", target),
                                           ("UseLatestRestorableTime", "true")]
        parameters.add("DBInstanceClass", instanceClass)
        for (index, tag) in tags.sorted(by: { $0.key < $1.key }).enumerated() {
            parameters.add("Tags.Tag.\(index + 1).Key", tag.key)
            parameters.add("Tags.Tag.\(index + 1).Value", tag.value)
        }
        let result = try await client.query(.rds, "RestoreDBInstanceToPointInTime", parameters).queryResult()
        return result["DBInstance"]?.string("DBInstanceStatus") ?? "creating"
    }

    /// Deletes an instance and keeps what it held: a final snapshot, and its automated backups.
    public func deleteDBInstance(_ identifier: String, finalSnapshot: String) async throws {
        _ = try await client.query(.rds, "DeleteDBInstance", [("DBInstanceIdentifier", identifier), ("SkipFinalSnapshot", "false"),
                                                             ("FinalDBSnapshotIdentifier", finalSnapshot), ("DeleteAutomatedBackups", "false")])
    }

    /// Called in the region that receives the backups; `sourceArn` is the instance in another region.
    public func startAutomatedBackupsReplication(sourceArn: String, retentionDays: Int) async throws -> String {
        let result = try await client.query(.rds, "StartDBInstanceAutomatedBackupsReplication",
                                            [("SourceDBInstanceArn", sourceArn), ("BackupRetentionPeriod", String(retentionDays))]).queryResult()
        return result["DBInstanceAutomatedBackup"]?.string("Status") ?? "pending"
    }
}
