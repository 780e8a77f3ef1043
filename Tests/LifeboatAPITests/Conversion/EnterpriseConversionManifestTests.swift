import LifeboatAPI
import Testing
import YAML

/// Reading enterprise product and application manifests (seed-systems.md §C).
@Suite struct EnterpriseConversionManifestTests {
    typealias F = EnterpriseConversionFixtures

    @Test func phaseFromActionAndFileName() {
        #expect(Phase(enterpriseName: "INSTANTIATE") == .instantiate)
        #expect(Phase(enterpriseName: " activate ") == .activate)
        #expect(Phase(enterpriseName: "Failover") == nil)
        #expect(Phase.enterprisePhase("CLEANUP") == .cleanup)
        #expect(Phase.enterprisePhase("mf/p-app1-ACTIVATE.json") == .activate)
        #expect(Phase.enterprisePhase("product-manifest-payments-replicate.yaml") == .replicate)
        #expect(Phase.enterprisePhase("s3://bucket/instantiate/p-app1-CLEANUP.yml") == .cleanup)
        #expect(Phase.enterprisePhase("mf/p-app1.json") == nil)
        #expect(Phase.enterprisePhase("") == nil)
        #expect(Phase(enterpriseFileName: "mf/p-app1-INSTANTIATE.json") == .instantiate)
        #expect(Phase(enterpriseFileName: "INSTANTIATE-notes.txt") == .instantiate)
        #expect(Phase.activate.enterpriseName == "ACTIVATE")
    }

    @Test func productManifest() throws {
        let value: JSONValue = [
            "action": "ACTIVATE", "product_name": "payments",
            "product": [
                ["app_layer": 1, "apps": [["name": "a", "service_order_files": ["mf/p-a-ACTIVATE.json", "mf/p-a2-ACTIVATE.json"]],
                                          ["name": "b", "service_order_files": ["mf/p-b-ACTIVATE.json"]]]],
                ["app_layer": 2, "apps": [["name": "c", "service_order_files": "mf/p-c-ACTIVATE.json"]]],
            ],
        ]
        let product = try EnterpriseProductManifest(parsing: value, source: "product-manifest-payments-ACTIVATE.json")
        #expect(product.phase == .activate)
        #expect(product.productName == "payments")
        #expect(product.applicationFiles == [["mf/p-a-ACTIVATE.json", "mf/p-a2-ACTIVATE.json", "mf/p-b-ACTIVATE.json"], ["mf/p-c-ACTIVATE.json"]])
        #expect(product.warnings.isEmpty)
    }

    @Test func productManifestPhaseFromFileNameWhenActionIsMissing() throws {
        let value: JSONValue = ["product_name": "p", "product": [], "owner": "team"]
        let product = try EnterpriseProductManifest(parsing: value, source: "product-manifest-p-CLEANUP.json")
        #expect(product.phase == .cleanup)
        #expect(product.applicationFiles == [])
        #expect(F.messages(product.warnings) == [
            "product-manifest-p-CLEANUP.json: the product manifest has no action; using CLEANUP from the file name",
            "product-manifest-p-CLEANUP.json: owner: ignored \"owner\": not a field of this object (known: action, product_name, product)",
        ])
    }

    @Test func productManifestErrors() {
        func error(_ value: JSONValue) -> ConversionError? {
            do { _ = try EnterpriseProductManifest(parsing: value, source: "pm.json"); return nil } catch { return error }
        }
        #expect(error(["action": "FAILOVER", "product_name": "p", "product": []])?.description
                == "pm.json: action: unknown action \"FAILOVER\" (hint: use one of INSTANTIATE, ACTIVATE, CLEANUP, REPLICATE)")
        #expect(error(["action": "ACTIVATE", "product": []])?.path == "product_name")
        #expect(error(["action": "ACTIVATE", "product_name": "p", "product": [["app_layer": 1, "apps": [["name": "a", "service_order_files": [3]]]]]])?.path
                == "product[0].apps[0].service_order_files[0]")
        #expect(error([1, 2])?.message == "a product manifest is an object, got array")
    }

    @Test func applicationManifest() throws {
        let value: JSONValue = [
            ["layer": 1, "resources": [["action": "EcsService", "resourceName": " api ", "AccountId": "123456789012",
                                        "parameters": [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 4]]]]],
            ["layer": 2, "resources": [["resourceType": "LambdaFunction", "parameters": ["FunctionName": "f"]]]],
        ]
        let manifest = try F.manifest(value, "mf/p-app1-INSTANTIATE.json")
        #expect(manifest.layers.map(\.number) == [1, 2])
        #expect(manifest.layers.map { $0.resources.map(\.module) } == [[.ecsService], [.lambdaFunction]])
        let api = manifest.layers[0].resources[0]
        #expect(api.path == "[0].resources[0]")
        #expect(api.resourceName == "api")
        #expect(api.accountId == "123456789012")
        #expect(api.parameters == [["EcsClusterName": "c", "EcsServiceName": "s", "EcsDesiredSize": 4]])
        #expect(manifest.layers[1].resources[0].resourceName == nil)
        #expect(F.messages(manifest.warnings) == [
            "mf/p-app1-INSTANTIATE.json: [1].resources[0].resourceType: \"resourceType\" is the older spelling of \"action\"; read as the module name",
        ])
    }

    @Test func applicationManifestSpellingsAndIgnoredKeys() throws {
        let value: JSONValue = [["layer": 2, "Resources": [["Action": "ecsservice", "ResourceName": "api", "comment": "x"]]],
                                ["layer": 1, "resources": []]]
        let manifest = try F.manifest(value, "a.json")
        #expect(manifest.layers[0].resources[0].module == .ecsService)
        #expect(manifest.layers[0].resources[0].resourceName == "api")
        #expect(F.messages(manifest.warnings) == [
            "a.json: [0].Resources: read \"Resources\" as \"resources\" (the enterprise spelling is \"resources\")",
            "a.json: [0].Resources[0].Action: read \"Action\" as \"action\" (the enterprise spelling is \"action\")",
            "a.json: [0].Resources[0].Action: module \"ecsservice\" is not a module name; read as EcsService",
            "a.json: [0].Resources[0].ResourceName: read \"ResourceName\" as \"resourceName\" (the enterprise spelling is \"resourceName\")",
            "a.json: [0].Resources[0].comment: ignored \"comment\": not a field of this object (known: action, resourceName, AccountId, parameters)",
            "a.json: [1].resources: the layer has no resources; it is left out",
            "a.json: layer numbers 2, 1 are not in ascending order; the enterprise ran layers in list order, and so does the converted plan",
        ])
    }

    @Test func moduleNames() throws {
        func module(_ name: String) throws(ConversionError) -> ModuleName? {
            try F.manifest([["resources": [["action": .string(name)]]]]).layers.first?.resources.first?.module
        }
        #expect(try module("R53Record") == .r53Record)
        #expect(try module("EcsServce") == .ecsService)
        #expect(try module("ec2") == .ec2)
        do {
            _ = try module("Kafka")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "mf/app-ACTIVATE.json: [0].resources[0].action: unknown module \"Kafka\" (hint: use one of \(ModuleName.allowedValuesText))")
        }
    }

    @Test func applicationManifestErrors() {
        func error(_ value: JSONValue) -> ConversionError? {
            do { _ = try F.manifest(value, "m.json"); return nil } catch { return error }
        }
        #expect(error(["layer": 1, "resources": []])?.description
                == "m.json: an application manifest is a list of layers, got object (hint: wrap the layer in a list: [{\"layer\": 1, \"resources\": [ … ]}])")
        #expect(error([["layer": 1]])?.path == "[0].resources")
        #expect(error([["resources": ["x"]]])?.path == "[0].resources[0]")
        #expect(error([["resources": [["resourceName": "a"]]]])?.path == "[0].resources[0].action")
        #expect(error([["resources": [["action": 7]]]])?.message == "action is a module name (a string), got integer")
        #expect(error([["resources": [["action": "EC2", "resourceType": "DRS"]]]])?.path == "[0].resources[0].resourceType")
        #expect(error([["resources": [["action": "EC2", "resourceName": ["a"]]]]])?.path == "[0].resources[0].resourceName")
    }

    /// Whatever the input, reading and converting end in a value or a ConversionError.
    @Test(arguments: [
        JSONValue.null, 0, "text", [], [[:]], [[]], [["resources": nil]], [["resources": [nil]]],
        [["resources": [["action": "EC2", "parameters": "x"]]]],
        [["resources": [["action": "EC2", "parameters": [1, 2]]]]],
        [["resources": [["action": "EcsService", "parameters": ["Items": "x", "AccountId": true]]]]],
        [["resources": [["action": "R53Record", "parameters": ["Items": [1, ["Aias": "Yes", "aias": "No"]]]]]]],
        [["resources": [["action": "AutoScaling", "AccountId": -5, "resourceName": "___", "parameters": [[:], [:]]]]]],
        [["resources": [["action": .string(String(repeating: "x", count: 100_000)), "resourceName": .string(String(repeating: "Ä", count: 500))]]]],
        [["resources": [["action": "LambdaFunction", "AccountId": 1e300, "parameters": ["FunctionName": "f"]]]]],
    ] as [JSONValue])
    func neverCrashes(value: JSONValue) {
        for phase in Phase.allCases {
            _ = try? EnterpriseConverter.convert(F.input([(phase, [[F.manifest(value)], [F.manifest(value)]])]))
        }
    }
}
