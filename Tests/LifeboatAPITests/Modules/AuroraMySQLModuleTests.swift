import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct AuroraMySQL {
        static let valid: JSONValue = [
            "GlobalClusterIdentifier": "orders-global",
            "DBClusterIdentifier": "orders-usw2",
            "DBInstanceIdentifier": ["orders-usw2-1", "orders-usw2-2"],
            "DBInstanceClass": "db.r6g.large",
            "FailoverType": "Switchover",
        ]

        @Test func validExamplePasses() {
            #expect(check(.auroraMySQL, Self.valid).isEmpty)
            #expect(check(.auroraMySQL, setting(Self.valid, "DBInstanceIdentifier", "orders-usw2-1")).isEmpty)
        }

        @Test func requiredKeys() {
            let problems = check(.auroraMySQL, [:])
            #expect(problems.errorPaths == [at("GlobalClusterIdentifier"), at("DBClusterIdentifier"), at("DBInstanceIdentifier")])
            #expect(problems[2].message == "required parameter is missing (needed to run Instantiate and Cleanup)")
        }

        @Test func instanceIdentifierOnlyNeededForInstantiateAndCleanup() {
            let withoutInstances = setting(Self.valid, "DBInstanceIdentifier", nil)
            #expect(check(.auroraMySQL, withoutInstances, phases: [.activate]).isEmpty)
            #expect(check(.auroraMySQL, withoutInstances, phases: [.cleanup]).errorPaths == [at("DBInstanceIdentifier")])
            #expect(check(.auroraMySQL, withoutInstances, phases: [.instantiate, .activate]).errorPaths == [at("DBInstanceIdentifier")])
        }

        @Test(arguments: [
            ("1orders", "must start with a letter"),
            ("orders-", "must not end with a hyphen"),
            ("orders--usw2", "two hyphens in a row"),
            ("orders_usw2", "contains \"_\""),
            (String(repeating: "a", count: 64), "longer than 63"),
        ])
        func identifierRules(identifier: String, fragment: String) {
            let problems = check(.auroraMySQL, setting(Self.valid, "DBClusterIdentifier", .string(identifier)))
            #expect(problems.errorPaths == [at("DBClusterIdentifier")])
            #expect(problems[0].message.contains(fragment), "\(problems[0].message)")
        }

        @Test func typesValuesAndUnknownKeys() {
            var value = Self.valid
            value["DBInstanceIdentifier"] = ["orders-usw2-1", 7, "ORDERS-USW2-1"]
            value["DBInstanceClass"] = "r6g.large"
            value["FailoverType"] = "auto"
            value["GlobalClusterIdentifer"] = "x"
            let problems = check(.auroraMySQL, value)
            #expect(problems.errorPaths == [
                at("DBInstanceIdentifier[1]"), at("DBInstanceIdentifier[2]"), at("DBInstanceClass"), at("FailoverType"),
                at("GlobalClusterIdentifer"),
            ])
            #expect(problems.problem(at: "DBInstanceIdentifier[1]")?.message == "expected string, got integer 7")
            #expect(problems.problem(at: "FailoverType")?.hint == "did you mean Auto? Values are case-sensitive")
            #expect(problems.problem(at: "GlobalClusterIdentifer")?.hint == "did you mean GlobalClusterIdentifier?")
        }

        @Test func accountIdInParametersIsMovedToTheResource() {
            let problems = check(.auroraMySQL, setting(Self.valid, "AccountId", "222222222222"))
            #expect(problems.errorPaths == [at("AccountId")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.auroraMySQL, setting(setting(Self.valid, "DBInstanceIdentifier", .string(reference)),
                                                "GlobalClusterIdentifier", .string(reference))).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            let problems = check(.auroraMySQL, setting(Self.valid, "DBInstanceIdentifier", ["orders-1", .string(reference)]))
            #expect(problems.errorPaths == [at("DBInstanceIdentifier[1]")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.auroraMySQL, ["DBClusterIdentifier": "-x", "DBInstanceIdentifier": [], "FailoverType": 1, "Extra": true])
            #expect(problems.errorPaths == [
                at("DBClusterIdentifier"), at("DBInstanceIdentifier"), at("FailoverType"), at("Extra"), at("GlobalClusterIdentifier"),
            ])
        }
    }
}
