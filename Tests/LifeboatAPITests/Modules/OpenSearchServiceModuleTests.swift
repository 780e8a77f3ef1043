import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct OpenSearchService {
        static let valid: JSONValue = [
            "DomainName": "orders-search",
            "DataNodeType": "r6g.large.search", "DataNodeCount": 6, "MasterNodeType": "m6g.large.search", "MasterNodeCount": 3,
            "AzCount": 3, "TotalStorageSize": 100,
            "SubnetList": ["subnet-01234567", "subnet-89abcdef", "subnet-0123456789abcdef0"], "AutoTune": true,
            "CleanupDataNodeType": "r6g.large.search", "CleanupDataNodeCount": 1, "CleanupMasterNodeType": "m6g.large.search",
            "CleanupMasterNodeCount": 0, "CleanupAzCount": 1, "CleanupTotalStorageSize": 10,
        ]

        @Test func validExamplePasses() {
            #expect(check(.openSearchService, Self.valid).isEmpty)
        }

        @Test func requiredKeysAndPhaseDependentSizes() {
            let problems = check(.openSearchService, [:])
            #expect(problems.errorPaths == [at("DomainName"), at(""), at("")])
            #expect(problems[1].message == "give at least one of DataNodeCount, DataNodeType to run Instantiate")
            #expect(problems[2].message.hasPrefix("give at least one of CleanupDataNodeType, CleanupDataNodeCount"))
            #expect(check(.openSearchService, ["DomainName": "orders", "DataNodeCount": 2], phases: [.instantiate]).isEmpty)
            #expect(check(.openSearchService, ["DomainName": "orders", "DataNodeCount": 2], phases: [.cleanup]).errorPaths == [at("")])
            #expect(check(.openSearchService, ["DomainName": "orders", "CleanupAzCount": 1], phases: [.cleanup]).isEmpty)
        }

        @Test func rangesAndAllowedCounts() {
            var value = Self.valid
            value["DataNodeCount"] = 1003
            value["MasterNodeCount"] = 2
            value["AzCount"] = 4
            value["TotalStorageSize"] = 9
            value["CleanupMasterNodeCount"] = 1
            let problems = check(.openSearchService, value)
            #expect(problems.errorPaths == [at("DataNodeCount"), at("MasterNodeCount"), at("AzCount"), at("TotalStorageSize"),
                                            at("CleanupMasterNodeCount")])
            #expect(problems.problem(at: "MasterNodeCount")?.message == "2 is not allowed; must be one of 0, 3, 5")
        }

        @Test func zonesNeedSubnetsAndEvenNodes() {
            var value = Self.valid
            value["AzCount"] = 3
            value["SubnetList"] = ["subnet-01234567", "subnet-89abcdef"]
            value["DataNodeCount"] = 4
            value["CleanupAzCount"] = 2
            value["CleanupDataNodeCount"] = 3
            let problems = check(.openSearchService, value)
            #expect(problems.errorPaths == [at("AzCount"), at("CleanupDataNodeCount")])
            #expect(problems.warningPaths == [at("DataNodeCount")])
            #expect(problems.problem(at: "AzCount")?.message == "AzCount 3 needs a subnet in each zone, but SubnetList has 2")
        }

        @Test func formatsAndUnknownKeys() {
            let problems = check(.openSearchService, ["DomainName": "Orders", "DataNodeType": "r6g.large", "DataNodecount": 2,
                                                      "CleanupDataNodeType": "r6g.large.elasticsearch", "SubnetList": ["sn-1"]])
            #expect(problems.errorPaths == [at("DomainName"), at("DataNodeType"), at("DataNodecount"), at("CleanupDataNodeType"),
                                            at("SubnetList[0]")])
            #expect(problems.problem(at: "DataNodecount")?.hint == "did you mean DataNodeCount?")
            #expect(check(.openSearchService, ["DomainName": "ab", "DataNodeCount": 1, "CleanupAzCount": 1]).errorPaths == [at("DomainName")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            let value: JSONValue = .string(reference)
            #expect(check(.openSearchService, ["DomainName": "orders", "DataNodeCount": value, "AutoTune": value, "SubnetList": value,
                                               "AzCount": value, "CleanupDataNodeCount": value]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.openSearchService, setting(Self.valid, "AzCount", .string(reference))).errorPaths == [at("AzCount")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.openSearchService, ["DomainName": 1, "AutoTune": "on", "AzCount": 0, "EngineVersion": "2.11"])
            #expect(problems.errorPaths == [at("DomainName"), at("AutoTune"), at("AzCount"), at("EngineVersion"), at(""), at("")])
        }
    }
}
