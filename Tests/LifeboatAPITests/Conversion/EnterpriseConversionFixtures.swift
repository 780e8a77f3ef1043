import LifeboatAPI
import YAML

/// Small builders shared by the conversion tests (namespaced so they cannot clash with helpers
/// of other suites in this test target).
enum EnterpriseConversionFixtures {
    static let aws1 = "111111111111"
    static let aws2 = "222222222222"

    /// An application manifest from a literal; a parse error fails the calling test.
    static func manifest(_ value: JSONValue, _ source: String = "mf/app-ACTIVATE.json") throws(ConversionError) -> EnterpriseApplicationManifest {
        try EnterpriseApplicationManifest(parsing: value, source: source)
    }

    /// One layer of resources, as an application manifest literal.
    static func layers(_ layers: [JSONValue]...) -> JSONValue {
        .array(layers.enumerated().map { index, resources in ["layer": .int(index + 1), "resources": .array(resources)] })
    }

    static func lambda(_ name: String, function: String? = nil, account: String? = aws1) -> JSONValue {
        var resource: JSONValue = ["action": "LambdaFunction", "resourceName": .string(name),
                                   "parameters": ["FunctionName": .string(function ?? name)]]
        if let account { resource["AccountId"] = .string(account) }
        return resource
    }

    static func input(_ phases: [(phase: Phase, steps: [[EnterpriseApplicationManifest]])],
                      defaultAccount: String? = nil) -> EnterpriseConversionInput {
        EnterpriseConversionInput(planName: "payments", namespace: "dr", primaryRegion: "us-east-1",
                                  secondaryRegion: "us-west-2", defaultAccount: defaultAccount, phases: phases)
    }

    /// Converts one phase made of one manifest.
    static func convertSingle(_ value: JSONValue, phase: Phase = .activate, source: String = "mf/app-ACTIVATE.json",
                              defaultAccount: String? = nil) throws(ConversionError) -> (plan: DRPlan, warnings: [ConversionWarning]) {
        try EnterpriseConverter.convert(input([(phase, [[manifest(value, source)]])], defaultAccount: defaultAccount))
    }

    /// Layer names and the resource names in each, for compact exact assertions.
    static func shape(_ plan: DRPlan) -> [[String]] {
        plan.spec.layers.map { layer in [layer.name] + layer.resources.map(\.name) }
    }

    static func resource(_ plan: DRPlan, _ name: String) -> Resource? {
        plan.spec.allResources.first { $0.name == name }
    }

    static func messages(_ warnings: [ConversionWarning]) -> [String] { warnings.map(\.description) }
}
