import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct SQLServer {
        static let valid: JSONValue = [
            "DBInstanceIdentifierSource": "ledger-use1",
            "DBInstanceIdentifier": "ledger-usw2",
            "DBInstanceClass": "db.m6i.xlarge",
            "BackupRetentionPeriod": 14,
        ]

        @Test func validExamplePasses() {
            #expect(check(.sqlServer, Self.valid).isEmpty)
            #expect(check(.sqlServer, setting(setting(Self.valid, "DBInstanceClass", nil), "BackupRetentionPeriod", nil)).isEmpty)
        }

        @Test func requiredKeysInEveryPhase() {
            for phase in [Phase.activate, .cleanup, .replicate] {
                #expect(check(.sqlServer, [:], phases: [phase]).errorPaths == [at("DBInstanceIdentifierSource"), at("DBInstanceIdentifier")])
            }
        }

        @Test func typesRangesAndUnknownKeys() {
            var value = Self.valid
            value["BackupRetentionPeriod"] = 36
            value["DBInstanceClass"] = "m6i.xlarge"
            value["DBInstanceIdentifier"] = "ledger_usw2"
            value["DBInstanceIdentifierSorce"] = "x"
            let problems = check(.sqlServer, value)
            #expect(problems.errorPaths == [at("DBInstanceIdentifier"), at("DBInstanceClass"), at("BackupRetentionPeriod"),
                                            at("DBInstanceIdentifierSorce")])
            #expect(problems.problem(at: "BackupRetentionPeriod")?.message == "36 is out of range; must be between 1 and 35")
            #expect(problems.problem(at: "DBInstanceIdentifierSorce")?.hint == "did you mean DBInstanceIdentifierSource?")
            #expect(check(.sqlServer, setting(Self.valid, "BackupRetentionPeriod", "7")).problem(at: "BackupRetentionPeriod")?.message
                    == "expected integer, got string \"7\"")
        }

        @Test func enterpriseExtraKeyIsUnknown() {
            #expect(check(.sqlServer, setting(Self.valid, "ClusterConfigSSMKey", "/x")).errorPaths == [at("ClusterConfigSSMKey")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.sqlServer, setting(Self.valid, "BackupRetentionPeriod", .string(reference))).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.sqlServer, setting(Self.valid, "DBInstanceIdentifierSource", .string(reference))).errorPaths
                    == [at("DBInstanceIdentifierSource")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.sqlServer, ["DBInstanceIdentifier": "", "BackupRetentionPeriod": 0, "MultiAZ": true, "AccountId": 1])
            #expect(problems.errorPaths == [at("DBInstanceIdentifier"), at("BackupRetentionPeriod"), at("MultiAZ"), at("AccountId"),
                                            at("DBInstanceIdentifierSource")])
        }
    }
}
