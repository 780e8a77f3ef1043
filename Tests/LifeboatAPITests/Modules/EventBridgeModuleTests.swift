import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct EventBridge {
        static let valid: JSONValue = [
            "Items": [
                ["EventRuleName": "orders-nightly"],
                ["EventRuleName": "orders.sync_v2", "BusName": "payments"],
                ["EventRuleName": "orders-nightly", "BusName": "arn:aws:events:us-west-2:111111111111:event-bus/payments"],
            ],
        ]

        @Test func validExamplePasses() {
            #expect(check(.eventBridge, Self.valid).isEmpty)
        }

        @Test func requiredKeys() {
            #expect(check(.eventBridge, [:]).errorPaths == [at("Items")])
            #expect(check(.eventBridge, ["Items": [["BusName": "default"]]]).errorPaths == [at("Items[0].EventRuleName")])
        }

        @Test func typesLengthsAndUnknownKeys() {
            let problems = check(.eventBridge, ["Items": [
                ["EventRuleName": .string(String(repeating: "r", count: 65))],
                ["EventRuleName": "orders nightly", "BusNam": "default"],
                ["EventRuleName": ["a"], "BusName": 3],
            ]])
            #expect(problems.errorPaths == [at("Items[0].EventRuleName"), at("Items[1].EventRuleName"), at("Items[1].BusNam"),
                                            at("Items[2].EventRuleName"), at("Items[2].BusName")])
            #expect(problems.problem(at: "Items[0].EventRuleName")?.message == "is too long (65 characters); must be at most 64")
            #expect(problems.problem(at: "Items[1].BusNam")?.hint == "did you mean BusName?")
        }

        @Test func duplicateRulesOnTheSameBus() {
            let problems = check(.eventBridge, ["Items": [
                ["EventRuleName": "a"], ["EventRuleName": "a", "BusName": "default"], ["EventRuleName": "a", "BusName": "other"],
            ]])
            #expect(problems.errorPaths == [at("Items[1]")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.eventBridge, ["Items": .string(reference)]).isEmpty)
            #expect(check(.eventBridge, ["Items": [["EventRuleName": .string(reference), "BusName": .string(reference)]]]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.eventBridge, ["Items": [["EventRuleName": .string(reference)]]]).errorPaths == [at("Items[0].EventRuleName")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.eventBridge, ["Items": [[:], ["EventRuleName": ""], 7], "State": "ENABLED"])
            #expect(problems.errorPaths == [at("Items[0].EventRuleName"), at("Items[1].EventRuleName"), at("Items[2]"), at("State")])
        }
    }
}
