import Foundation
import LifeboatAPI
import Testing
import YAML

/// examples/enterprise: the four product manifests of "payments" and their application
/// manifests (one in YAML) convert into one valid plan.
@Suite struct EnterpriseConversionExampleTests {
    /// examples/enterprise/, the bucket root the product manifests' keys are relative to.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/enterprise")

    /// JSON is YAML, so one parser reads both formats, as the CLI does.
    static func load(_ key: String) throws -> JSONValue {
        let text = try String(contentsOf: root.appendingPathComponent(key), encoding: .utf8)
        return try YAML.parseDocument(text, file: key).value
    }

    static func convert(defaultAccount: String? = nil) throws -> (plan: DRPlan, warnings: [ConversionWarning], products: [EnterpriseProductManifest]) {
        var products: [EnterpriseProductManifest] = []
        var phases: [(phase: Phase, steps: [[EnterpriseApplicationManifest]])] = []
        for action in ["INSTANTIATE", "ACTIVATE", "CLEANUP", "REPLICATE"] {
            let file = "product-manifest-payments-\(action).json"
            let product = try EnterpriseProductManifest(parsing: load(file), source: file)
            products.append(product)
            let steps = try product.applicationFiles.map { keys in
                try keys.map { key in try EnterpriseApplicationManifest(parsing: load(key), source: key) }
            }
            phases.append((product.phase, steps))
        }
        let input = EnterpriseConversionInput(planName: "payments", namespace: "dr", primaryRegion: "us-east-1",
                                              secondaryRegion: "us-west-2", defaultAccount: defaultAccount,
                                              productName: products.first?.productName, phases: phases)
        let (plan, warnings) = try EnterpriseConverter.convert(input)
        return (plan, warnings, products)
    }

    static let web = "111111111111"
    static let data = "222222222222"

    static func aurora(_ region: String) -> JSONValue {
        ["GlobalClusterIdentifier": "payments-orders-global", "DBClusterIdentifier": .string("payments-orders-\(region)"),
         "DBInstanceIdentifier": [.string("payments-orders-\(region)-1"), .string("payments-orders-\(region)-2")]]
    }

    static let rules: JSONValue = ["Items": [["EventRuleName": "payments-settlement-hourly", "BusName": "default"],
                                             ["EventRuleName": "payments-refunds", "BusName": "payments-events"]]]

    static let expectedLayers = [
        Layer(name: "layer-1", resources: [
            Resource(name: "orders-db-instantiate", module: .auroraMySQL, accountId: data, phases: [.instantiate], parameters: aurora("usw2")),
            Resource(name: "orders-db-activate", module: .auroraMySQL, accountId: data, phases: [.activate], parameters: aurora("usw2")),
            Resource(name: "ledger-db", module: .sqlServer, accountId: data, phases: [.activate, .replicate],
                     parameters: ["DBInstanceIdentifierSource": "!Import payments-ledger-primary-id", "DBInstanceIdentifier": "payments-ledger-usw2"]),
            Resource(name: "sessions-cache", module: .elastiCache, accountId: data, phases: [.activate],
                     parameters: ["GlobalReplicationGroupId": "ldgnf-payments-sessions", "ReplicationGroupId": "payments-sessions-us-west-2"]),
            Resource(name: "settlement-rules-cleanup", module: .eventBridge, accountId: web, phases: [.cleanup], parameters: rules),
            Resource(name: "orders-db-cleanup", module: .auroraMySQL, accountId: data, phases: [.cleanup], parameters: aurora("use1")),
        ]),
        Layer(name: "layer-2", resources: [
            Resource(name: "api", module: .ecsService, accountId: web, parameters: ["Items": [
                ["EcsClusterName": "payments", "EcsServiceName": "payments-api", "EcsDesiredSize": 6, "EcsAsgMinSize": 3],
                ["EcsClusterName": "payments", "EcsServiceName": "payments-worker", "EcsDesiredSize": 2]]]),
            Resource(name: "batch-hosts", module: .autoScaling, accountId: web,
                     parameters: ["AutoScalingGroupNames": ["payments-batch"], "DesiredCount": 2]),
            Resource(name: "api-dns", module: .r53Record, accountId: web, parameters: ["Items": [
                ["HostedZoneId": "Z0123456789ABCDEFGHIJ", "R53RecordName": "api.payments.example.com", "RecordType": "A",
                 "Alias": "Yes", "RecordValue": "payments-api-usw2"],
                ["HostedZoneId": "Z0123456789ABCDEFGHIJ", "R53RecordName": "status.payments.example.com", "RecordType": "CNAME",
                 "Alias": "No", "RecordValue": "status.us-west-2.payments.example.com", "TTL": 60]]]),
        ]),
        Layer(name: "layer-3", resources: [
            Resource(name: "warm-caches", module: .lambdaFunction, accountId: web, phases: [.instantiate],
                     parameters: ["FunctionName": "payments-warm-caches", "Payload": ["target": "standby"]]),
            Resource(name: "settlement-rules-activate", module: .eventBridge, accountId: web, phases: [.activate], parameters: rules),
            Resource(name: "notify", module: .lambdaFunction, accountId: web, phases: [.activate],
                     parameters: ["FunctionName": "payments-dr-notify",
                                  "Payload": ["channel": "resolve:ssm:/payments/dr/slack-channel", "event": "activated"]]),
        ]),
    ]

    @Test func productManifests() throws {
        let (_, _, products) = try Self.convert()
        #expect(products.map(\.phase) == [.instantiate, .activate, .cleanup, .replicate])
        #expect(products.allSatisfy { $0.productName == "payments" && $0.warnings.isEmpty })
        #expect(products.map(\.applicationFiles) == [
            [["mf/payments-data-INSTANTIATE.json"], ["mf/payments-web-INSTANTIATE.yaml"]],
            [["mf/payments-data-ACTIVATE.json"], ["mf/payments-web-ACTIVATE.json"]],
            [["mf/payments-web-CLEANUP.json", "mf/payments-data-CLEANUP.json"]],
            [["mf/payments-data-REPLICATE.json"]],
        ])
    }

    @Test func convertsAllFourPhasesIntoOneValidPlan() throws {
        let (plan, _, _) = try Self.convert()
        #expect(plan.metadata == ObjectMeta(name: "payments", namespace: "dr"))
        #expect(plan.spec.description == "Converted from the enterprise manifests of payments")
        #expect(plan.spec.regions == RegionPair(primary: "us-east-1", secondary: "us-west-2"))
        #expect(plan.spec.accounts == AccountSettings())
        #expect(plan.spec.approvals == ApprovalPolicy())
        #expect(plan.spec.layers == Self.expectedLayers)
        let problems = plan.validate()
        #expect(problems.map(\.description) == [])   // no errors, and no warnings either
    }

    @Test func aGivenDefaultAccountKeepsPerResourceIdsWhenAccountsDiffer() throws {
        let (plan, _, _) = try Self.convert(defaultAccount: Self.web)
        #expect(plan.spec.accounts.default == Self.web)
        #expect(plan.spec.allResources.map(\.accountId) == Self.expectedLayers.flatMap(\.resources).map(\.accountId))
        #expect(plan.validate().errors.isEmpty)
    }

    @Test func warningsNameEveryChange() throws {
        let (_, warnings, _) = try Self.convert()
        #expect(warnings.map(\.description) == [
            "mf/payments-web-INSTANTIATE.yaml: [0].resources[0].resourceType: \"resourceType\" is the older spelling of \"action\"; read as the module name",
            "mf/payments-web-INSTANTIATE.yaml: [0].resources[1].resourceType: \"resourceType\" is the older spelling of \"action\"; read as the module name",
            "mf/payments-web-INSTANTIATE.yaml: [1].resources[0].resourceType: \"resourceType\" is the older spelling of \"action\"; read as the module name",
            "mf/payments-web-INSTANTIATE.yaml: [0].resources[1].parameters.Autoscalinggroupnames: renamed \"Autoscalinggroupnames\" to \"AutoScalingGroupNames\": the enterprise spelling of AutoScaling\'s \"AutoScalingGroupNames\"",
            "mf/payments-data-ACTIVATE.json: [0].resources[2].parameters: ElastiCache: the enterprise module built the regional group id as <DBClusterIdentifier>-<region> and prefixed the global id by region; check that ReplicationGroupId and GlobalReplicationGroupId hold the full AWS ids",
            "mf/payments-data-ACTIVATE.json: [0].resources[2].parameters.GlobalClusterIdentifier: renamed \"GlobalClusterIdentifier\" to \"GlobalReplicationGroupId\": the enterprise spelling of ElastiCache's \"GlobalReplicationGroupId\"",
            "mf/payments-data-ACTIVATE.json: [0].resources[2].parameters.DBClusterIdentifier: renamed \"DBClusterIdentifier\" to \"ReplicationGroupId\": the enterprise spelling of ElastiCache's \"ReplicationGroupId\"",
            "mf/payments-web-ACTIVATE.json: [0].resources[0].parameters[0].Aias: renamed \"Aias\" to \"Alias\": the enterprise spelling of R53Record\'s \"Alias\"",
            "mf/payments-web-CLEANUP.json: [1].resources[1].parameters.Autoscalinggroupnames: renamed \"Autoscalinggroupnames\" to \"AutoScalingGroupNames\": the enterprise spelling of AutoScaling\'s \"AutoScalingGroupNames\"",
            "mf/payments-data-INSTANTIATE.json: [0].resources[0]: \"orders-db\" (AuroraMySQL) is not the same in every phase: its parameters in Cleanup differ from those in Instantiate; converted to one resource per phase: orders-db-instantiate, orders-db-activate, orders-db-cleanup",
            "mf/payments-web-ACTIVATE.json: [1].resources[0]: \"settlement-rules\" (EventBridge) is not the same in every phase: it runs in layer 3 of Activate but in layer 1 of Cleanup; converted to one resource per phase: settlement-rules-activate, settlement-rules-cleanup",
        ])
    }
}
