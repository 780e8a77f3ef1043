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
            .required("DBInstanceIdentifierSource", .string(.format(.rdsIdentifier)),
                      notes: "the instance whose replicated automated backups Activate restores from"),
            .required("DBInstanceIdentifier", .string(.format(.rdsIdentifier)),
                      notes: "the instance Activate creates (and Cleanup deletes in the old primary)"),
            .optional("DBInstanceClass", .string(.format(.dbInstanceClass)),
                      notes: "class of the restored instance; the backup's class when absent"),
            .optional("BackupRetentionPeriod", .integer(.range(1...35)), default: 7,
                      notes: "days of automated backups Replicate keeps in the peer region"),
        ]))
}
