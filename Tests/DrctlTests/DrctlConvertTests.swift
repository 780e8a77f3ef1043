import Foundation
import Testing
import YAML

@Suite struct DrctlConvertTests {
    static let products = ["INSTANTIATE", "ACTIVATE", "CLEANUP", "REPLICATE"].flatMap {
        ["--product", "examples/enterprise/product-manifest-payments-\($0).json"]
    }
    static let regions = ["--primary", "us-east-1", "--secondary", "us-west-2", "--namespace", "dr"]

    /// The shipped enterprise manifests convert into a plan that drctl validate accepts, and the
    /// plan decodes to the same value whether written as YAML or JSON.
    @Test func enterpriseExamplesConvertIntoAValidPlan() throws {
        let yaml = try DrctlRunner.run(["convert", "enterprise"] + Self.products + Self.regions)
        #expect(yaml.status == 0, "\(yaml.stderr)")
        #expect(yaml.stderr.contains("renamed \"Aias\" to \"Alias\""))
        #expect(yaml.stderr.contains("Autoscalinggroupnames"))
        #expect(!yaml.stderr.contains("error"))
        let validated = try DrctlRunner.run(["validate", "-f", "-"], stdin: yaml.stdout)
        #expect(validated.status == 0, "\(validated.stdout)")
        #expect(validated.stdout.contains("<stdin>: DRPlan dr/payments is valid"))

        let json = try DrctlRunner.run(["convert", "enterprise", "-o", "json"] + Self.products + Self.regions)
        #expect(json.status == 0)
        let fromYAML = try YAML.parseDocument(yaml.stdout).value
        let fromJSON = try YAML.parseDocument(json.stdout).value
        #expect(fromYAML == fromJSON)
        #expect(fromYAML["spec"]?["regions"] == ["primary": "us-east-1", "secondary": "us-west-2"])
        #expect((fromYAML["spec"]?["layers"]?.arrayValue?.count ?? 0) >= 2)
    }

    @Test func applicationManifestsTakeTheirPhaseFromTheFileName() throws {
        let result = try DrctlRunner.run(["convert", "enterprise", "-f", "examples/enterprise/mf/payments-web-ACTIVATE.json",
                                          "--name", "payments-web"] + Self.regions)
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try YAML.parseDocument(result.stdout).value
        #expect(plan["metadata"]?["name"] == "payments-web")
        #expect(plan["kind"] == "DRPlan")
    }

    @Test func brokenEnterpriseInputIsAnErrorNamingTheFileAndPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("app-ACTIVATE.json")
        try #"[{"layer": 1, "resources": [{"action": "Mainframe", "resourceName": "m", "parameters": {}}]}]"#
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try DrctlRunner.run(["convert", "enterprise", "-f", file.path, "--name", "x"] + Self.regions)
        #expect(result.status == 1)
        #expect(result.stderr.contains(file.path))
        #expect(result.stderr.contains("Mainframe"))
        #expect(result.stdout.isEmpty)
    }

    @Test func usageMistakesExitTwo() throws {
        let cases: [[String]] = [
            ["convert"],
            ["convert", "csv"],
            ["convert", "enterprise", "--product", "examples/enterprise/product-manifest-payments-ACTIVATE.json"],
            ["convert", "enterprise", "--primary", "us-east-1", "--secondary", "us-west-2"],
            ["convert", "enterprise", "-f", "examples/enterprise/mf/payments-web-ACTIVATE.json", "--phase", "Failover"] + Self.regions,
            ["convert", "enterprise", "-o", "text", "-f", "x.json"] + Self.regions,
        ]
        for arguments in cases {
            let result = try DrctlRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("drctl convert: "))
        }
    }
}
