import LifeboatAPI
import Testing
import YAML

/// The conversion rules of docs/convert.md, one small manifest at a time.
@Suite struct EnterpriseConversionRulesTests {
    typealias F = EnterpriseConversionFixtures

    // MARK: Rule 1 — steps and parallel manifests become layers

    @Test func parallelManifestsAlignByLayerPosition() throws {
        let a = try F.manifest(F.layers([F.lambda("a1")], [F.lambda("a2")]), "mf/p-a-INSTANTIATE.json")
        let b = try F.manifest(F.layers([F.lambda("b1")]), "mf/p-b-INSTANTIATE.json")
        let c = try F.manifest(F.layers([F.lambda("c1")], [F.lambda("c2"), F.lambda("c3")]), "mf/p-c-INSTANTIATE.json")
        let (plan, warnings) = try EnterpriseConverter.convert(F.input([(.instantiate, [[a, b], [c]])]))
        #expect(F.shape(plan) == [["layer-1", "a1", "b1"], ["layer-2", "a2"], ["layer-3", "c1"], ["layer-4", "c2", "c3"]])
        #expect(plan.spec.allResources.allSatisfy { $0.phases == [.instantiate] })
        #expect(warnings.isEmpty)
    }

    @Test func emptyLayersAndStepsAreLeftOut() throws {
        let a = try F.manifest([["layer": 1, "resources": []], ["layer": 2, "resources": [F.lambda("a2")]]])
        let empty = try F.manifest([])
        let (plan, _) = try EnterpriseConverter.convert(F.input([(.activate, [[empty], [a]])]))
        #expect(F.shape(plan) == [["layer-1", "a2"]])
    }

    // MARK: Rule 2 — phases merge into one plan

    @Test func sameResourceAtSamePositionIsMerged() throws {
        let inst = try F.manifest(F.layers([F.lambda("f")], [F.lambda("g")]), "mf/p-INSTANTIATE.json")
        let act = try F.manifest(F.layers([F.lambda("f")]), "mf/p-ACTIVATE.json")
        let (plan, warnings) = try EnterpriseConverter.convert(F.input([(.instantiate, [[inst]]), (.activate, [[act]])]))
        #expect(F.shape(plan) == [["layer-1", "f"], ["layer-2", "g"]])
        #expect(F.resource(plan, "f")?.phases == [.instantiate, .activate])
        #expect(F.resource(plan, "g")?.phases == [.instantiate])
        #expect(warnings.isEmpty)
    }

    @Test func phasesAreOmittedWhenTheyAreAllTheModuleSupports() throws {
        let ecs: JSONValue = ["action": "EcsService", "resourceName": "api", "AccountId": "111111111111",
                              "parameters": [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 2]]]
        let inst = try F.manifest(F.layers([ecs]), "mf/p-INSTANTIATE.json")
        let clean = try F.manifest(F.layers([ecs]), "mf/p-CLEANUP.json")
        let (plan, _) = try EnterpriseConverter.convert(F.input([(.instantiate, [[inst]]), (.cleanup, [[clean]])]))
        #expect(plan.spec.layers == [Layer(name: "layer-1", resources: [
            Resource(name: "api", module: .ecsService, phases: nil,
                     parameters: ["Items": [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 2]]]),
        ])])
        #expect(plan.spec.accounts.default == "111111111111")
    }

    @Test func differentParametersSplitPerPhase() throws {
        let act = try F.manifest(F.layers([F.lambda("f", function: "one")]), "mf/p-ACTIVATE.json")
        let clean = try F.manifest(F.layers([F.lambda("f", function: "two")]), "mf/p-CLEANUP.json")
        let (plan, warnings) = try EnterpriseConverter.convert(F.input([(.activate, [[act]]), (.cleanup, [[clean]])]))
        #expect(F.shape(plan) == [["layer-1", "f-activate", "f-cleanup"]])
        #expect(F.resource(plan, "f-activate")?.parameters == ["FunctionName": "one"])
        #expect(F.resource(plan, "f-activate")?.phases == [.activate])
        #expect(F.resource(plan, "f-cleanup")?.parameters == ["FunctionName": "two"])
        #expect(F.resource(plan, "f-cleanup")?.phases == [.cleanup])
        #expect(F.messages(warnings) == [
            "mf/p-ACTIVATE.json: [0].resources[0]: \"f\" (LambdaFunction) is not the same in every phase: its parameters in Cleanup differ from those in Activate; converted to one resource per phase: f-activate, f-cleanup",
        ])
    }

    /// Every phase still runs exactly its own layers in its own order.
    @Test func differentPositionsSplitAndKeepEachPhasesOrder() throws {
        let act = try F.manifest(F.layers([F.lambda("x")], [F.lambda("f")]), "mf/p-ACTIVATE.json")
        let clean = try F.manifest(F.layers([F.lambda("f")], [F.lambda("y")]), "mf/p-CLEANUP.json")
        let (plan, warnings) = try EnterpriseConverter.convert(F.input([(.activate, [[act]]), (.cleanup, [[clean]])]))
        #expect(F.shape(plan) == [["layer-1", "x", "f-cleanup"], ["layer-2", "f-activate", "y"]])
        func order(_ phase: Phase) -> [[String]] {
            plan.spec.layers.map { $0.resources.filter { $0.phases?.contains(phase) ?? true }.map(\.name) }.filter { !$0.isEmpty }
        }
        #expect(order(.activate) == [["x"], ["f-activate"]])
        #expect(order(.cleanup) == [["f-cleanup"], ["y"]])
        #expect(warnings.map(\.message) == [
            "\"f\" (LambdaFunction) is not the same in every phase: it runs in layer 2 of Activate but in layer 1 of Cleanup; converted to one resource per phase: f-activate, f-cleanup",
        ])
    }

    @Test func moduleThatDoesNotRunInAPhaseIsLeftOut() throws {
        let ecs: JSONValue = ["action": "EcsService", "resourceName": "api", "parameters": ["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 1]]
        let (plan, warnings) = try F.convertSingle(F.layers([ecs, F.lambda("f")]))
        #expect(F.shape(plan) == [["layer-1", "f"]])
        #expect(F.messages(warnings) == [
            "mf/app-ACTIVATE.json: [0].resources[0]: EcsService does not run in Activate (the enterprise module raised \"Activate is not applicable\"); left out of Activate",
        ])
    }

    @Test func inputErrors() throws {
        let m = try F.manifest(F.layers([F.lambda("f")]))
        #expect(throws: ConversionError.self) { try EnterpriseConverter.convert(F.input([(.activate, [[m]]), (.activate, [[m]])])) }
        #expect(throws: ConversionError.self) { try EnterpriseConverter.convert(F.input([(.activate, [[]])])) }
        #expect(throws: ConversionError.self) { try EnterpriseConverter.convert(F.input([])) }
    }

    @Test func manifestUsedForAnotherPhaseThanItsFileNameSays() throws {
        let (_, warnings) = try F.convertSingle(F.layers([F.lambda("f")]), phase: .cleanup, source: "mf/p-ACTIVATE.json")
        #expect(F.messages(warnings) == ["mf/p-ACTIVATE.json: the file name says ACTIVATE but the manifest is used for CLEANUP"])
    }

    // MARK: Rule 4 — names

    @Test func namesBecomeUniqueDNSLabels() throws {
        let long = String(repeating: "Ab", count: 40)
        let (plan, warnings) = try F.convertSingle(F.layers([
            F.lambda("Orders_DB"), F.lambda(long), ["action": "LambdaFunction", "AccountId": "111111111111", "parameters": ["FunctionName": "x"]],
            F.lambda("api"), F.lambda("api", account: "222222222222"), F.lambda("API"),
        ]))
        #expect(F.shape(plan) == [["layer-1", "orders-db", String(repeating: "ab", count: 31) + "a", "lambdafunction-3", "api", "api-2", "api-3"]])
        #expect(F.resource(plan, "api-2")?.accountId == "222222222222")
        #expect(warnings.map(\.message) == [
            "resourceName \"Orders_DB\" is not a DNS label; named \"orders-db\"",
            "resourceName \"\(long)\" is not a DNS label; named \"\(String(repeating: "ab", count: 31) + "a")\"",
            "no resourceName; named \"lambdafunction-3\"",
            "resourceName \"API\" is not a DNS label; named \"api\"",
            "another resource is already named \"api\"; this one is named \"api-2\"",
            "another resource is already named \"api\"; this one is named \"api-3\"",
        ])
    }
}
