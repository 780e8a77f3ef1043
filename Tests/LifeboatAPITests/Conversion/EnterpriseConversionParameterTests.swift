import LifeboatAPI
import Testing
import YAML

/// Rules 5–7 of docs/convert.md: accounts, parameters and the plan around them.
@Suite struct EnterpriseConversionParameterTests {
    typealias F = EnterpriseConversionFixtures

    // MARK: Rule 5 — accounts

    @Test func accountFromResourceOrParametersOrItems() throws {
        let (plan, warnings) = try F.convertSingle(F.layers([
            ["action": "LambdaFunction", "resourceName": "a", "parameters": ["FunctionName": "a", "AccountId": "111111111111"]],
            ["action": "R53Record", "resourceName": "b", "parameters": [
                ["HostedZoneId": "Z1", "AccountId": "222222222222"], ["HostedZoneId": "Z2", "AccountId": "222222222222"]]],
            ["action": "EventBridge", "resourceName": "c", "AccountId": "222222222222", "parameters": ["EventRuleName": "r"]],
        ]))
        #expect(plan.spec.accounts.default == nil)
        #expect(plan.spec.allResources.map(\.accountId) == ["111111111111", "222222222222", "222222222222"])
        #expect(plan.spec.allResources.map(\.parameters) == [
            ["FunctionName": "a"],
            ["Items": [["HostedZoneId": "Z1"], ["HostedZoneId": "Z2"]]],
            ["Items": [["EventRuleName": "r"]]],
        ])
        #expect(warnings.isEmpty)
    }

    /// The seed's DRS adapter selected servers by HostNames and passed Tags to StartRecovery as
    /// the job's tags: both together convert to HostNames and JobTags, a plan that validates.
    @Test func enterpriseDRSTagsAreJobTagsNotASelector() throws {
        let (plan, warnings) = try F.convertSingle(F.layers([
            ["action": "DRS", "resourceName": "web", "AccountId": "111111111111",
             "parameters": ["HostNames": ["web-1", "web-2"], "Tags": ["CostCenter": "dr", "Ticket": "CHG-7"]]],
        ]))
        let resource = try #require(plan.spec.allResources.first)
        #expect(resource.parameters == ["HostNames": ["web-1", "web-2"], "JobTags": ["CostCenter": "dr", "Ticket": "CHG-7"]])
        #expect(F.messages(warnings).contains { $0.contains("renamed \"Tags\" to \"JobTags\": the enterprise DRS module's \"Tags\" beside HostNames or SourceServerIds meant JobTags") })
        let problems = ModuleCatalog.descriptor(for: .drs).validate(parameters: resource.parameters, phases: [.activate], at: .root)
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")

        // Without a server selector the tags are the selector, as before.
        let (alone, _) = try F.convertSingle(F.layers([
            ["action": "DRS", "resourceName": "web", "AccountId": "111111111111", "parameters": ["Tags": ["App": "payments"]]],
        ]))
        #expect(alone.spec.allResources.first?.parameters == ["Tags": ["App": "payments"]])
    }

    @Test func conflictingAccountsAreAnError() throws {
        let value = F.layers([["action": "EventBridge", "resourceName": "c", "AccountId": "111111111111",
                               "parameters": [["EventRuleName": "r", "AccountId": "111111111111"], ["EventRuleName": "s", "AccountId": "222222222222"]]]])
        #expect(throws: ConversionError(source: "mf/app-ACTIVATE.json", path: "[0].resources[0].parameters[1].AccountId",
                                        "conflicting AccountId values: \"222222222222\" here and \"111111111111\" at [0].resources[0].AccountId",
                                        hint: "one resource acts in one account; split it into one resource per account")) {
            try F.convertSingle(value)
        }
    }

    @Test func numericAccountIsPaddedTo12Digits() throws {
        let (plan, warnings) = try F.convertSingle(F.layers([["action": "LambdaFunction", "resourceName": "f", "AccountId": 11111111111,
                                                              "parameters": ["FunctionName": "f"]]]))
        #expect(plan.spec.accounts.default == "011111111111")
        #expect(plan.spec.allResources[0].accountId == nil)
        #expect(F.messages(warnings) == [
            "mf/app-ACTIVATE.json: [0].resources[0].AccountId: AccountId is the number 11111111111, read as \"011111111111\" (JSON numbers lose leading zeros; quote account ids)",
        ])
    }

    @Test func defaultAccountDecidesWhichIdsStay() throws {
        let one = F.layers([F.lambda("a"), F.lambda("b"), F.lambda("c", account: nil)])
        let (shared, sharedWarnings) = try F.convertSingle(one)
        #expect(shared.spec.accounts.default == F.aws1)
        #expect(shared.spec.allResources.map(\.accountId) == [nil, nil, nil])
        #expect(sharedWarnings.map(\.message) == ["\"c\" names no AccountId; it uses the only account in the manifests, 111111111111"])

        let (given, _) = try F.convertSingle(one, defaultAccount: F.aws1)
        #expect(given.spec.accounts.default == F.aws1)
        #expect(given.spec.allResources.map(\.accountId) == [nil, nil, nil])

        let two = F.layers([F.lambda("a"), F.lambda("b", account: F.aws2), F.lambda("c", account: nil)])
        let (mixed, mixedWarnings) = try F.convertSingle(two)
        #expect(mixed.spec.accounts.default == nil)
        #expect(mixed.spec.allResources.map(\.accountId) == [F.aws1, F.aws2, nil])
        #expect(mixedWarnings.map(\.message) == ["\"c\" names no AccountId and the manifests use several; pass a default account or add AccountId"])

        let (mixedGiven, _) = try F.convertSingle(two, defaultAccount: F.aws1)
        #expect(mixedGiven.spec.accounts.default == F.aws1)
        #expect(mixedGiven.spec.allResources.map(\.accountId) == [F.aws1, F.aws2, nil])
    }

    // MARK: Rule 6 — parameters

    @Test func itemsModulesTakeTheListOrOneObject() throws {
        let (plan, _) = try F.convertSingle(F.layers([
            ["action": "EcsService", "resourceName": "list", "parameters": [["EcsServiceName": "a"], ["EcsServiceName": "b"]]],
            ["action": "EcsService", "resourceName": "one", "parameters": ["EcsServiceName": "a"]],
            ["action": "EcsService", "resourceName": "lifeboat", "parameters": ["Items": [["EcsServiceName": "a", "AccountId": "111111111111"]]]],
        ]), phase: .instantiate, source: "mf/x-INSTANTIATE.json")
        #expect(plan.spec.allResources.map(\.parameters) == [
            ["Items": [["EcsServiceName": "a"], ["EcsServiceName": "b"]]],
            ["Items": [["EcsServiceName": "a"]]],
            ["Items": [["EcsServiceName": "a"]]],
        ])
        #expect(plan.spec.accounts.default == F.aws1)
    }

    @Test func otherModulesTakeOneObjectPerResource() throws {
        let (plan, warnings) = try F.convertSingle(F.layers([
            ["action": "AutoScaling", "resourceName": "one", "AccountId": "111111111111", "parameters": [["AutoScalingGroupNames": ["g"], "DesiredCount": 1]]],
            ["action": "AutoScaling", "resourceName": "many", "AccountId": "111111111111", "parameters": [
                ["AutoScalingGroupNames": ["a"], "DesiredCount": 1], ["AutoScalingGroupNames": ["b"], "DesiredCount": 2],
                ["AutoScalingGroupNames": ["c"], "DesiredCount": 3]]],
        ]), phase: .instantiate, source: "mf/x-INSTANTIATE.json")
        #expect(F.shape(plan) == [["layer-1", "one", "many-1", "many-2", "many-3"]])
        #expect(plan.spec.allResources.map(\.parameters) == [
            ["AutoScalingGroupNames": ["g"], "DesiredCount": 1], ["AutoScalingGroupNames": ["a"], "DesiredCount": 1],
            ["AutoScalingGroupNames": ["b"], "DesiredCount": 2], ["AutoScalingGroupNames": ["c"], "DesiredCount": 3],
        ])
        #expect(F.messages(warnings) == [
            "mf/x-INSTANTIATE.json: [0].resources[1].parameters: AutoScaling takes one parameters object and this resource lists 3; converted to 3 resources many-1 … many-3",
        ])
    }

    @Test func knownMisspellingsAndCaseAreRenamed() throws {
        let (dns, dnsWarnings) = try F.convertSingle(F.layers([
            ["action": "R53Record", "resourceName": "dns", "AccountId": "111111111111",
             "parameters": [["HostedZoneId": "Z1", "Aias": "Yes", "recordtype": "A", "Colour": "blue"]]],
        ]), source: "m-ACTIVATE.json")
        #expect(dns.spec.allResources.map(\.parameters) == [["Items": [["HostedZoneId": "Z1", "Alias": "Yes", "RecordType": "A", "Colour": "blue"]]]])
        #expect(F.messages(dnsWarnings) == [
            "m-ACTIVATE.json: [0].resources[0].parameters[0].Aias: renamed \"Aias\" to \"Alias\": the enterprise spelling of R53Record\'s \"Alias\"",
            "m-ACTIVATE.json: [0].resources[0].parameters[0].recordtype: renamed \"recordtype\" to \"RecordType\": a case variant of \"RecordType\" (parameter names are case-sensitive)",
        ])

        let (hosts, hostWarnings) = try F.convertSingle(F.layers([
            ["action": "AutoScaling", "resourceName": "asg", "AccountId": "111111111111",
             "parameters": ["Autoscalinggroupnames": ["g"], "desiredcount": 2]],
            ["action": "EC2", "resourceName": "hosts", "AccountId": "111111111111", "parameters": ["Orchestrator_HostNames": ["h1"]]],
        ]), phase: .instantiate, source: "m-INSTANTIATE.json")
        #expect(hosts.spec.allResources.map(\.parameters) == [["AutoScalingGroupNames": ["g"], "DesiredCount": 2], ["HostNames": ["h1"]]])
        #expect(F.messages(hostWarnings) == [
            "m-INSTANTIATE.json: [0].resources[0].parameters.Autoscalinggroupnames: renamed \"Autoscalinggroupnames\" to \"AutoScalingGroupNames\": the enterprise spelling of AutoScaling\'s \"AutoScalingGroupNames\"",
            "m-INSTANTIATE.json: [0].resources[0].parameters.desiredcount: renamed \"desiredcount\" to \"DesiredCount\": a case variant of \"DesiredCount\" (parameter names are case-sensitive)",
            "m-INSTANTIATE.json: [0].resources[1].parameters.Orchestrator_HostNames: renamed \"Orchestrator_HostNames\" to \"HostNames\": the enterprise spelling of EC2\'s \"HostNames\"",
        ])
    }

    @Test func renameIntoAnExistingKeyKeepsBoth() throws {
        let (plan, warnings) = try F.convertSingle(F.layers([
            ["action": "R53Record", "resourceName": "dns", "AccountId": "111111111111", "parameters": ["Aias": "Yes", "Alias": "No"]],
        ]))
        #expect(plan.spec.allResources[0].parameters == ["Items": [["Aias": "Yes", "Alias": "No"]]])
        #expect(warnings.map(\.message) == [
            "\"Aias\" is the enterprise spelling of R53Record\'s \"Alias\", but \"Alias\" is also given; both are kept as written (remove one)",
        ])
    }

    @Test func formerNamesFromTheCatalogAndReviewNotes() throws {
        let (plan, warnings) = try F.convertSingle(F.layers([
            ["action": "ElastiCache", "resourceName": "cache", "AccountId": "111111111111",
             "parameters": ["GlobalClusterIdentifier": "ldgnf-c", "DBClusterIdentifier": "c-us-west-2"]],
        ]), source: "c-ACTIVATE.json")
        #expect(plan.spec.allResources[0].parameters == ["GlobalReplicationGroupId": "ldgnf-c", "ReplicationGroupId": "c-us-west-2"])
        #expect(F.messages(warnings) == [
            "c-ACTIVATE.json: [0].resources[0].parameters: ElastiCache: the enterprise module built the regional group id as <DBClusterIdentifier>-<region> and prefixed the global id by region; check that ReplicationGroupId and GlobalReplicationGroupId hold the full AWS ids",
            "c-ACTIVATE.json: [0].resources[0].parameters.GlobalClusterIdentifier: renamed \"GlobalClusterIdentifier\" to \"GlobalReplicationGroupId\": the enterprise spelling of ElastiCache's \"GlobalReplicationGroupId\"",
            "c-ACTIVATE.json: [0].resources[0].parameters.DBClusterIdentifier: renamed \"DBClusterIdentifier\" to \"ReplicationGroupId\": the enterprise spelling of ElastiCache's \"ReplicationGroupId\"",
        ])
    }

    @Test func valuesAndUnknownKeysAreKeptAsWritten() throws {
        let payload: JSONValue = ["secret": "resolve:ssm:/dr/x", "arn": "!Import y", "n": 1.5, "list": [nil, true]]
        let (plan, warnings) = try F.convertSingle(F.layers([
            ["action": "LambdaFunction", "resourceName": "f", "AccountId": "111111111111",
             "parameters": ["FunctionName": "!Import fn", "Payload": payload, "Unknown": "kept"]],
        ]))
        #expect(plan.spec.allResources[0].parameters == ["FunctionName": "!Import fn", "Payload": payload, "Unknown": "kept"])
        #expect(warnings.isEmpty)
        #expect(plan.validate().errors.map(\.path) == ["spec.layers[0].resources[0].parameters.Unknown"])
    }

    @Test func parameterShapeErrors() {
        #expect(throws: ConversionError(source: "mf/app-ACTIVATE.json", path: "[0].resources[0].parameters",
                                        "parameters is an object or a list of objects, got string")) {
            try F.convertSingle(F.layers([["action": "LambdaFunction", "parameters": "f"]]))
        }
        #expect(throws: ConversionError(source: "mf/app-ACTIVATE.json", path: "[0].resources[0].parameters[1]",
                                        "a parameters list holds objects, got integer")) {
            try F.convertSingle(F.layers([["action": "EventBridge", "parameters": [["EventRuleName": "r"], 2]]]))
        }
        #expect(throws: ConversionError.self) {
            try F.convertSingle(F.layers([["action": "LambdaFunction", "AccountId": ["1"], "parameters": ["FunctionName": "f"]]]))
        }
    }

    // MARK: Rule 7 — the plan

    @Test func planAroundTheResources() throws {
        let (plan, _) = try F.convertSingle(F.layers([F.lambda("f")]))
        #expect(DRPlan.apiVersion == "lifeboat.dev/v1alpha1")
        #expect(DRPlan.kind == "DRPlan")
        #expect(plan.metadata.name == "payments")
        #expect(plan.metadata.namespace == "dr")
        #expect(plan.spec.description == "Converted from the enterprise manifests of payments")
        #expect(plan.spec.regions == RegionPair(primary: "us-east-1", secondary: "us-west-2"))
        #expect(plan.spec.approvals == ApprovalPolicy())
        #expect(plan.spec.readiness == ReadinessSettings())
        #expect(plan.spec.accounts == AccountSettings(default: "111111111111"))
        #expect(plan.spec.layers == [Layer(name: "layer-1", resources: [
            Resource(name: "f", module: .lambdaFunction, phases: [.activate], parameters: ["FunctionName": "f"]),
        ])])
        #expect(plan.validate().errors.isEmpty)

        var input = F.input([(.activate, [[try F.manifest(F.layers([F.lambda("f")]))]])])
        input.productName = "Payments EU"
        input.namespace = nil
        #expect(try EnterpriseConverter.convert(input).plan.spec.description == "Converted from the enterprise manifests of Payments EU")
        input.description = "Payments, us-east-1 <-> us-west-2"
        #expect(try EnterpriseConverter.convert(input).plan.spec.description == "Payments, us-east-1 <-> us-west-2")
        #expect(try EnterpriseConverter.convert(input).plan.metadata.namespace == nil)
    }

    @Test func planNameFromProductName() {
        #expect(EnterpriseConverter.planName(forProduct: "Payments_EU") == "payments-eu")
        #expect(EnterpriseConverter.planName(forProduct: "__") == "enterprise-plan")
    }
}
