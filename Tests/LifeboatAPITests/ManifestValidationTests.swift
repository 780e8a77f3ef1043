import LifeboatAPI
import Testing
import YAML

@Suite struct ManifestValidationTests {
    @Test func theExamplePlanIsValidAndUsesEveryModule() throws {
        let verdict = ManifestValidator.validate(try Examples.document("payments-plan.yaml").value)
        #expect(verdict.problems.isEmpty, "\(verdict.problems)")
        guard case .plan(let plan)? = verdict.object else { Issue.record("not decoded as a plan"); return }
        #expect(Set(plan.spec.allResources.map(\.module)) == Set(ModuleName.allCases))
        #expect(Set(plan.spec.allResources.compactMap(\.accountId) + [plan.spec.accounts.default].compactMap { $0 }).count == 2)
        #expect(plan.spec.layers.map(\.name) == ["data", "compute", "traffic"])
    }

    @Test(arguments: Examples.executions)
    func theExampleExecutionsAreValid(path: String) throws {
        let verdict = ManifestValidator.validate(try Examples.document(path).value)
        #expect(verdict.problems.isEmpty, "\(verdict.problems)")
        #expect(verdict.kind == "DRExecution")
    }

    @Test func defaultsAreAppliedAsTheAPIServerWould() throws {
        let verdict = ManifestValidator.validate(try YAML.parseDocument("""
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRPlan
            metadata: {name: tiny}
            spec:
              regions: {primary: us-east-1, secondary: us-west-2}
              accounts: {default: "111111111111"}
              layers:
              - name: only
                resources:
                - {name: asg, module: AutoScaling, parameters: {AutoScalingGroupNames: [a], DesiredCount: 1}}
            """).value)
        #expect(verdict.problems.isEmpty, "\(verdict.problems)")
        guard case .plan(let plan)? = verdict.object else { Issue.record("not a plan"); return }
        #expect(plan.spec.accounts.roleName == "lifeboat-execution")
        #expect(plan.spec.approvals.phases == [.activate, .cleanup, .replicate])
        #expect(plan.spec.approvals.drills == .required)
        #expect(plan.spec.readiness.interval == .minutes(15))
        #expect(plan.spec.layers[0].maxConcurrency == 0 && !plan.spec.layers[0].pauseBefore)
        #expect(plan.spec.layers[0].resources[0].onError == .fail)
    }

    /// A structural problem early in a list must not hide, or shift the path of, a semantic
    /// problem later in the same list.
    @Test func semanticProblemsAfterAPrunedElementKeepTheirPaths() throws {
        let verdict = ManifestValidator.validate(try YAML.parseDocument("""
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRPlan
            metadata: {name: mixed}
            spec:
              regions: {primary: us-east-1, secondary: us-west-2}
              accounts: {default: "111111111111"}
              layers:
              - name: data
                resources:
                - {name: first, module: EC2, onError: Retry, parameters: {HostNames: [a]}}
                - {name: second, module: AuroraMySQL, phases: [Replicate], parameters: {GlobalClusterIdentifier: g, DBClusterIdentifier: c}}
            """).value)
        let paths = verdict.problems.map { "\($0.path)" }
        #expect(paths == ["spec.layers[0].resources[0].onError", "spec.layers[0].resources[1].phases[0]"])
        #expect(verdict.problems[1].message == "module AuroraMySQL does not support phase Replicate")
        #expect(verdict.problems[1].hint == "AuroraMySQL supports Instantiate, Activate, Cleanup")
    }

    @Test func unknownFieldsAreErrorsWithSuggestions() throws {
        let verdict = ManifestValidator.validate(try YAML.parseDocument("""
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRExecution
            metadata: {name: run}
            spec: {planRef: {name: p}, phase: Activate, mode: Recovery, stratgy: Graceful}
            """).value)
        #expect(verdict.problems.count == 1)
        #expect("\(verdict.problems[0].path)" == "spec.stratgy")
        #expect(verdict.problems[0].hint == "did you mean strategy?")
    }

    @Test func executionRulesAndAnnotations() throws {
        let verdict = ManifestValidator.validate(try YAML.parseDocument("""
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRExecution
            metadata:
              name: run
              annotations: {lifeboat.dev/aprove: start}
            spec: {planRef: {name: p}, phase: Activate, mode: Drill, strategy: Ungraceful, timeout: "0"}
            """).value)
        let byPath = Dictionary(verdict.problems.map { ("\($0.path)", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath["metadata.annotations[lifeboat.dev/aprove]"]?.hint == "did you mean lifeboat.dev/approve?")
        #expect(byPath["spec.timeout"]?.isError == true)
        #expect(byPath["spec.strategy"]?.severity == .warning)
    }

    @Test func foreignAndMalformedDocuments() {
        #expect(ManifestValidator.validate(["apiVersion": "v1", "kind": "ConfigMap"]).isForeign)
        let wrongVersion = ManifestValidator.validate(["apiVersion": "lifeboat.dev/v2", "kind": "DRPlan"])
        #expect(wrongVersion.problems.map(\.message) == ["unsupported version \"lifeboat.dev/v2\""])
        let wrongKind = ManifestValidator.validate(["apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRPlans"])
        #expect(wrongKind.problems.first?.hint == "did you mean DRPlan?")
        #expect(ManifestValidator.validate(["just", "a", "list"]).problems.count == 1)
    }
}

/// YAML → Swift → YAML → Swift gives the same value, for every example.
@Suite struct RoundTripTests {
    @Test func planRoundTrips() throws {
        let plan = try YAMLDecoder().decode(DRPlan.self, from: try Examples.document("payments-plan.yaml"))
        let yaml = try YAMLEncoder().encode(plan)
        let again = try YAMLDecoder().decode(DRPlan.self, from: yaml)
        #expect(again == plan)
        #expect(try YAMLEncoder().encode(again) == yaml)
        #expect(yaml.contains("accountId: '222222222222'") || yaml.contains("accountId: \"222222222222\""))
    }

    @Test(arguments: Examples.executions)
    func executionRoundTrips(path: String) throws {
        let execution = try YAMLDecoder().decode(DRExecution.self, from: try Examples.document(path))
        let again = try YAMLDecoder().decode(DRExecution.self, from: try YAMLEncoder().encode(execution))
        #expect(again == execution)
    }

    @Test func statusRoundTripsThroughJSONValue() throws {
        var status = DRExecutionStatus()
        status.phase = .running
        status.progress = Progress(total: 12, succeeded: 5, running: 3, pending: 4)
        status.conditions = []
        status.conditions?.set("Reconciling", .true, reason: "Running", message: "layer compute", now: Timestamp(secondsSinceEpoch: 5))
        var resource = ResourceStatus(name: "orders-db", module: .auroraMySQL, state: .inProgress)
        resource.checkpoint = ["globalCluster": "orders-global", "jobs": ["j-1", "j-2"]]
        resource.attempts = 2
        status.layers = [LayerStatus(name: "data", state: .running, resources: [resource])]
        status.gates = [Gate(id: Gate.startID, state: .approved, decidedBy: "alice")]
        let value = try JSONValueEncoder().encode(status)
        #expect(value["progress"]?["summary"] == "5/12")
        #expect(value["conditions"]?[0]?["lastTransitionTime"] == "1970-01-01T00:00:05Z")
        #expect(try YAMLDecoder().decode(DRExecutionStatus.self, from: value) == status)
        #expect(StructuralValidator.validate(value, against: LifeboatSchemas.drExecution.property("status")!).isEmpty)
    }
}

/// The CRDs bound every list, map and string their CEL rules read (kube-apiserver refuses a CRD
/// whose rules' estimated cost is over budget); `drctl validate` reports the same bounds, with the
/// path, before the API server would.
@Suite struct PlanBoundsTests {
    static func plan(layers: Int, resourcesPerLayer: Int = 1, phases: [String]? = nil, parameterCount: Int = 2) -> JSONValue {
        var parameters: JSONObject = ["AutoScalingGroupNames": .array([.string("a")]), "DesiredCount": .int(1)]
        for index in 0..<max(0, parameterCount - 2) { parameters["Extra\(index)"] = .string("x") }
        let resource: (String) -> JSONValue = { name in
            var object: JSONObject = ["name": .string(name), "module": .string("AutoScaling"), "parameters": .object(parameters)]
            if let phases { object["phases"] = .array(phases.map(JSONValue.string)) }
            return .object(object)
        }
        let layerList = (0..<layers).map { layer in
            JSONValue.object(["name": .string("l\(layer)"),
                              "resources": .array((0..<resourcesPerLayer).map { resource("r\(layer)-\($0)") })])
        }
        return .object([
            "apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRPlan", "metadata": .object(["name": "bounded"]),
            "spec": .object(["regions": .object(["primary": "us-east-1", "secondary": "us-west-2"]),
                             "accounts": .object(["default": "111111111111"]), "layers": .array(layerList)]),
        ])
    }

    static func messages(_ value: JSONValue) -> [String] {
        ManifestValidator.validate(value).problems.map { "\($0.path): \($0.message)" }
    }

    @Test func fiftyLayersOfFiveHundredResourcesAreTheLimits() {
        #expect(Self.messages(Self.plan(layers: 50)).isEmpty)
        #expect(Self.messages(Self.plan(layers: 51)) == ["spec.layers: must have at most 50 items (got 51)"])
        #expect(Self.messages(Self.plan(layers: 1, resourcesPerLayer: 500)).isEmpty)
        #expect(Self.messages(Self.plan(layers: 1, resourcesPerLayer: 501))
                == ["spec.layers[0].resources: must have at most 500 items (got 501)"])
    }

    @Test func aResourceNamesAtMostFourPhasesAndSixtyFourParameters() {
        let fivePhases = Self.messages(Self.plan(layers: 1, phases: ["Instantiate", "Cleanup", "Instantiate", "Cleanup", "Cleanup"]))
        #expect(fivePhases.contains("spec.layers[0].resources[0].phases: must have at most 4 items (got 5)"))
        #expect(Self.messages(Self.plan(layers: 1, parameterCount: 65)).contains(
            "spec.layers[0].resources[0].parameters: must have at most 64 fields (got 65)"))
    }
}
