import LifeboatAPI
import Testing
import YAML

/// The module catalog. Per-module suites are nested in extensions (one file per module), so
/// `swift test --filter ModuleCatalogTests` runs them all.
@Suite struct ModuleCatalogTests {
    @Test func catalogListsEveryModuleInOrder() {
        #expect(ModuleCatalog.all.map(\.name) == ModuleName.allCases)
        for module in ModuleName.allCases { #expect(ModuleCatalog.descriptor(for: module).name == module) }
    }

    @Test(arguments: [
        (ModuleName.drs, [Phase.activate, .cleanup, .replicate], "Activate: Execute, Cleanup: Execute, Replicate: Validate", "2h"),
        (.auroraMySQL, [.instantiate, .activate, .cleanup], "Instantiate: Execute, Activate: Validate, Cleanup: Execute", "1h"),
        (.ecsService, [.instantiate, .cleanup], "Execute", "30m"),
        (.autoScaling, [.instantiate, .cleanup], "Execute", "30m"),
        (.ec2, [.instantiate, .activate, .cleanup], "Execute", "20m"),
        (.r53Record, [.activate], "Validate", "15m"),
        (.eventBridge, [.activate, .cleanup], "Validate", "10m"),
        (.eventArchive, [.activate], "Skip", "2h"),
        (.lambdaFunction, [.instantiate, .activate, .cleanup, .replicate], "Validate", "15m"),
        (.elastiCache, [.activate, .cleanup, .replicate], "Validate", "1h"),
        (.memoryDB, [.activate, .cleanup], "Validate", "1h"),
        (.openSearchService, [.instantiate, .cleanup], "Execute", "2h"),
        (.sqlServer, [.activate, .cleanup, .replicate], "Validate", "2h"),
    ])
    func descriptorMatchesModulesSpec(module: ModuleName, phases: [Phase], drill: String, timeout: String) {
        let descriptor = ModuleCatalog.descriptor(for: module)
        #expect(descriptor.supportedPhases == phases)
        #expect(descriptor.drillDefaultsDescription == drill)
        #expect(descriptor.defaultTimeout.description == timeout)
        #expect(!descriptor.summary.isEmpty && !descriptor.summary.contains("\n"))
        #expect(descriptor.parameters.objectSchema != nil)
    }

    @Test func accountIdInsideParametersPointsAtTheResourceField() {
        let problems = check(.lambdaFunction, ["FunctionName": "orders-warmup", "AccountId": "111111111111"])
        #expect(problems.errorPaths == [at("AccountId")])
        #expect(problems[0].message == "AccountId is not a module parameter")
        #expect(problems[0].hint?.contains("resource's accountId field") == true)
    }

    @Test func missingParametersReportEachRequiredKey() {
        #expect(check(.sqlServer, nil).errorPaths == [at("DBInstanceIdentifierSource"), at("DBInstanceIdentifier")])
        #expect(check(.lambdaFunction, [:]).errorPaths == [at("FunctionName")])
    }

    @Test func nonObjectParametersAreATypeError() {
        let problems = check(.lambdaFunction, "orders")
        #expect(problems.errorPaths == [at("")])
        #expect(problems[0].message == "expected object, got string \"orders\"")
    }

    @Test func enterpriseListOfDictsPointsAtItems() {
        let problems = check(.ecsService, [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 1]])
        #expect(problems.errorPaths == [at("")])
        #expect(problems[0].hint?.contains("Items") == true)
    }

    /// Every field of every module, set to every kind of JSON value (and a deeply nested one):
    /// validation must return, never trap, and every problem must say what to do about it.
    @Test func neverCrashesOnAnyValueAndEveryProblemHasAHint() {
        var deep: JSONValue = "resolve:ssm:"
        for _ in 0..<1_000 { deep = [deep] }  // deeper values are refused by the YAML reader's limits
        let values: [JSONValue] = [.null, true, 0, -1, 1.5, 1e300, "", "x", [], [[:]], [:], ["k": [1, "!Import"]], deep,
                                   .int(.max), .int(.min), .double(.nan), .double(.infinity), "resolve:ssm:/a:99999999999999999999"]
        for descriptor in ModuleCatalog.all {
            guard let root = descriptor.parameters.objectSchema else { continue }
            var problems: [ValidationProblem] = []
            for value in values {
                problems += descriptor.validate(parameters: value, phases: Phase.allCases, at: base)
                for field in root.fields {
                    problems += descriptor.validate(parameters: [field.name: value], phases: Phase.allCases, at: base)
                    problems += descriptor.validate(parameters: [field.name: [value]], phases: Phase.allCases, at: base)
                    problems += descriptor.validate(parameters: [field.name: [[field.name: value, "HostName": value, "TTL": value]]],
                                                    phases: Phase.allCases, at: base)
                }
            }
            let unhinted = problems.filter { $0.hint == nil }
            #expect(unhinted.isEmpty, "\(descriptor.name): \(unhinted.prefix(5))")
        }
    }

    @Test func typeDescriptionsReadWell() {
        let drs = ModuleCatalog.descriptor(for: .drs).parameters.objectSchema
        #expect(drs?.field(named: "MaxServersPerJob")?.schema.typeDescription == "integer 1–100")
        #expect(drs?.field(named: "Tags")?.schema.typeDescription == "map string→string")
        let aurora = ModuleCatalog.descriptor(for: .auroraMySQL).parameters.objectSchema
        #expect(aurora?.field(named: "FailoverType")?.schema.typeDescription == "Auto | Switchover")
        #expect(aurora?.field(named: "DBInstanceIdentifier")?.requirement.summary == "for Instantiate, Cleanup")
    }
}
