import Foundation
import Testing
import YAML

@Suite struct DrctlValidateTests {
    @Test func examplesAreValid() throws {
        let result = try DrctlRunner.run(["validate", "-f", "examples/"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("examples/payments-plan.yaml: DRPlan dr/payments is valid"))
        for execution in ["instantiate-drill", "activate-recovery", "cleanup-recovery", "replicate-recovery"] {
            #expect(result.stdout.contains("examples/executions/\(execution).yaml: DRExecution dr/payments-"))
        }
        #expect(result.stdout.contains("convert it with `drctl convert enterprise`"))
    }

    /// Every planted mistake is reported with its path, on the line where it was planted.
    @Test func everyPlantedMistakeIsReported() throws {
        let result = try DrctlRunner.run(["validate", "-f", "Tests/DrctlTests/Fixtures/broken-plan.yaml"])
        #expect(result.status == 1)
        let file = "Tests/DrctlTests/Fixtures/broken-plan.yaml"
        let expected: [(line: Int, path: String, words: String)] = [
            (5, "metadata.name", "must be a DNS subdomain"),
            (10, "spec.regions.secondary", "primary and secondary are both us-east-1"),
            (12, "spec.accounts.default", "expected string, got integer"),
            (14, "spec.layers[0].name", "must be a DNS label"),
            (18, "spec.layers[0].resources[0].phases[1]", "does not support phase Replicate"),
            (21, "spec.layers[0].resources[0].parameters.DBClusterIdentifer", "unknown parameter"),
            (22, "spec.layers[0].resources[1].name", "duplicate"),
            (24, "spec.layers[0].resources[1].accountId", "12-digit AWS account id"),
            (28, "spec.layers[0].resources[1].parameters.BackupRetentionPeriod", "35"),
            (30, "spec.layers[1].maxConcurrency", "must be at least 0"),
            (33, "spec.layers[1].resources[0].module", "unsupported value \"EcsServices\""),
            (37, "spec.layers[1].resources[1].timeout", "must be a duration"),
            (38, "spec.layers[1].resources[1].onError", "unsupported value \"Retry\""),
            (41, "spec.layers[1].resources[1].parameters.DesiredCount", "four"),
            (45, "spec.layers[1].resources[2].parameters.FunctionName", "resolve:ssm"),
        ]
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for mistake in expected {
            let prefix = "\(file):\(mistake.line):"
            let match = lines.first { $0.hasPrefix(prefix) && $0.contains(": \(mistake.path): ") && $0.contains(mistake.words) }
            #expect(match != nil, "no report of \(mistake.path) on line \(mistake.line) mentioning \(mistake.words)\n\(result.stdout)")
        }
        #expect(lines.contains { $0.contains(": spec.layers[0].resources[0].parameters.DBClusterIdentifier: required parameter is missing") })
        #expect(lines.contains("    hint: did you mean DBClusterIdentifier?"))
        #expect(lines.last == "1 document checked: 0 valid, 1 invalid (16 errors, 0 warnings)")
        #expect(result.stderr.isEmpty)
    }

    @Test func malformedYAMLNamesFileLineAndColumn() throws {
        let result = try DrctlRunner.run(["validate", "-f", "Tests/DrctlTests/Fixtures/malformed.yaml"])
        #expect(result.status == 1)
        let first = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Tests/DrctlTests/Fixtures/malformed.yaml:7:"), "\(result.stdout)")
        #expect(first.contains(": error: "))
        #expect(!result.stdout.contains("Fatal error") && !result.stderr.contains("Fatal error"))
    }

    @Test func readsStandardInput() throws {
        let plan = try String(contentsOf: DrctlRunner.packageRoot.appendingPathComponent("examples/payments-plan.yaml"), encoding: .utf8)
        let result = try DrctlRunner.run(["validate", "-f", "-"], stdin: plan)
        #expect(result.status == 0)
        #expect(result.stdout.contains("<stdin>: DRPlan dr/payments is valid"))
    }

    @Test func multiDocumentStreamReportsEachDocument() throws {
        let stream = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: dr}
            ---
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRExecution
            metadata: {name: run-1, namespace: dr}
            spec: {planRef: {name: payments}, phase: Activate}
            ---
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRExecution
            metadata: {name: run-2, namespace: dr}
            spec: {planRef: {name: payments}, phase: Activate, mode: Drill, resources: [nope]}
            """
        let result = try DrctlRunner.run(["validate", "-o", "json", "-f", "-"], stdin: stream + "\n" + "---\n" + (try String(contentsOf: DrctlRunner.packageRoot.appendingPathComponent("examples/payments-plan.yaml"), encoding: .utf8)))
        #expect(result.status == 1)
        let report = try YAML.parseDocument(result.stdout).value
        let documents = report["documents"]?.arrayValue ?? []
        #expect(report["valid"] == false)
        #expect(documents.count == 4)
        #expect(documents[0]["skipped"] != nil)
        #expect(documents[1]["problems"]?[0]?["path"] == "spec.mode")
        #expect(documents[1]["problems"]?[0]?["line"] == 8)
        #expect(documents[2]["problems"]?[0]?["path"] == "spec.resources[0]")
        #expect(documents[2]["problems"]?[0]?["message"]?.stringValue?.contains("has no resource \"nope\"") == true)
        #expect(documents[3]["valid"] == true)
    }

    @Test func usageErrorsExitTwo() throws {
        for arguments in [["validate"], ["validate", "-f", "does-not-exist.yaml"], ["validate", "-o", "xml", "-f", "examples"],
                          ["validate", "--fiel", "x"], ["frobnicate"]] {
            let result = try DrctlRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
        let typo = try DrctlRunner.run(["valdate"])
        #expect(typo.stderr.contains("did you mean \"validate\"?"))
    }

    @Test func helpIsAvailableEverywhere() throws {
        let root = try DrctlRunner.run(["--help"])
        #expect(root.status == 0)
        for command in ["validate", "convert", "version"] {
            #expect(root.stdout.contains("  \(command) "))
            let help = try DrctlRunner.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Usage:\n  drctl \(command)"))
            #expect(help.stdout.contains("--help"))
        }
        let plugin = try DrctlRunner.run(["validate", "--help"], argv0: "kubectl-dr")
        #expect(plugin.stdout.contains("Usage:\n  kubectl dr validate"))
    }

    @Test func versionPrintsTheAPIVersion() throws {
        let text = try DrctlRunner.run(["version"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("(API lifeboat.dev/v1alpha1)"))
        let json = try YAML.parseDocument(try DrctlRunner.run(["version", "-o", "json"]).stdout).value
        #expect(json["apiVersion"] == "lifeboat.dev/v1alpha1")
        #expect(json["modules"]?.arrayValue?.count == 13)
    }
}
