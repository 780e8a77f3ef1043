import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct EcsService {
        static let valid: JSONValue = [
            "Items": [
                ["EcsClusterName": "payments", "EcsServiceName": "api", "EcsDesiredSize": 4, "EcsAsgMinSize": 2],
                ["EcsClusterName": "payments", "EcsServiceName": "worker", "EcsDesiredSize": 0],
            ],
        ]

        @Test func validExamplePasses() {
            #expect(check(.ecsService, Self.valid).isEmpty)
        }

        @Test func requiredKeys() {
            #expect(check(.ecsService, [:]).errorPaths == [at("Items")])
            #expect(check(.ecsService, ["Items": []]).errorPaths == [at("Items")])
            let problems = check(.ecsService, ["Items": [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 1], [:]]])
            #expect(problems.errorPaths == [at("Items[1].EcsClusterName"), at("Items[1].EcsServiceName"), at("Items[1].EcsDesiredSize")])
        }

        @Test func typesRangesAndUnknownKeys() {
            var value = settingItem(Self.valid, "EcsDesiredSize", "four", item: 1)
            value = settingItem(value, "EcsAsgMinSize", -1)
            value = settingItem(value, "EcsDesireSize", 3)
            let problems = check(.ecsService, value)
            #expect(problems.errorPaths == [at("Items[0].EcsAsgMinSize"), at("Items[0].EcsDesireSize"), at("Items[1].EcsDesiredSize")])
            #expect(problems.problem(at: "Items[1].EcsDesiredSize")?.message == "expected integer, got string \"four\"")
            #expect(problems.problem(at: "Items[0].EcsAsgMinSize")?.message == "-1 is too small; must be at least 0")
            #expect(problems.problem(at: "Items[0].EcsDesireSize")?.hint == "did you mean EcsDesiredSize?")
        }

        @Test func duplicateServicesAndMinimumAboveDesired() {
            let problems = check(.ecsService, ["Items": [
                ["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 1, "EcsAsgMinSize": 3],
                ["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 2],
            ]])
            #expect(problems.errorPaths == [at("Items[1]")])
            #expect(problems.warningPaths == [at("Items[0].EcsAsgMinSize")])
            #expect(problems.problem(at: "Items[1]")?.message == "duplicate of \(at("Items[0]")): the same EcsClusterName, EcsServiceName")
        }

        @Test func namesMayBeArnsButNotAnythingElse() {
            let arn = settingItem(Self.valid, "EcsClusterName", "arn:aws:ecs:us-west-2:111111111111:cluster/payments")
            #expect(check(.ecsService, arn).isEmpty)
            #expect(check(.ecsService, settingItem(Self.valid, "EcsServiceName", "api v2")).errorPaths == [at("Items[0].EcsServiceName")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.ecsService, settingItem(Self.valid, "EcsDesiredSize", .string(reference))).isEmpty)
            #expect(check(.ecsService, ["Items": .string(reference)]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.ecsService, settingItem(Self.valid, "EcsAsgMinSize", .string(reference))).errorPaths == [at("Items[0].EcsAsgMinSize")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.ecsService, ["Items": [
                ["EcsClusterName": 5, "EcsDesiredSize": 1.5, "AccountId": "1"],
                "payments/api",
            ], "Region": "us-west-2"])
            #expect(problems.errorPaths == [
                at("Items[0].EcsClusterName"), at("Items[0].EcsDesiredSize"), at("Items[0].AccountId"), at("Items[0].EcsServiceName"),
                at("Items[1]"), at("Region"),
            ])
        }
    }
}
