/// RDS for SQL Server restored from cross-region automated backups (MODULES.md). The enterprise
/// Replicate hard-coded us-west-2 and 7 days; the region is now the acting one and retention a parameter.
enum SQLServerModule {
    static let descriptor = ModuleDescriptor(
        name: .sqlServer,
        summary: "RDS for SQL Server: restore from replicated automated backups, delete the old primary, replicate backups back",
        supportedPhases: [.activate, .cleanup, .replicate],
        defaultTimeout: .hours(2),
        drillDefault: .validate,
        parameters: ObjectSchema([
            .required(SQLServerParameters.Key.dbInstanceIdentifierSource.rawValue, .string(.format(.rdsIdentifier)),
                      notes: "the primary: Activate restores from its replicated automated backups; Recovery Cleanup deletes it in the old primary (final snapshot kept)"),
            .required(SQLServerParameters.Key.dbInstanceIdentifier.rawValue, .string(.format(.rdsIdentifier)),
                      notes: "the instance Activate restores in the standby; Replicate replicates its automated backups back to the peer region"),
            .optional(SQLServerParameters.Key.dbInstanceClass.rawValue, .string(.format(.dbInstanceClass)),
                      notes: "class of the restored instance; the backup's class when absent"),
            .optional(SQLServerParameters.Key.backupRetentionPeriod.rawValue, .integer(.range(1...35)), default: 7,
                      notes: "days of automated backups Replicate keeps in the peer region"),
        ]))
}

/// SQLServer's parameters as the module reads them; the keys are spelled once, here.
public struct SQLServerParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case dbInstanceIdentifierSource = "DBInstanceIdentifierSource"
        case dbInstanceIdentifier = "DBInstanceIdentifier"
        case dbInstanceClass = "DBInstanceClass"
        case backupRetentionPeriod = "BackupRetentionPeriod"
    }
    public var dbInstanceIdentifierSource: String
    public var dbInstanceIdentifier: String
    public var dbInstanceClass: String?
    public var backupRetentionPeriod: Int

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        dbInstanceIdentifierSource = try c.decode(String.self, forKey: .dbInstanceIdentifierSource)
        dbInstanceIdentifier = try c.decode(String.self, forKey: .dbInstanceIdentifier)
        dbInstanceClass = try c.decodeIfPresent(String.self, forKey: .dbInstanceClass)
        backupRetentionPeriod = try c.decode(Int.self, forKey: .backupRetentionPeriod)
    }
}
