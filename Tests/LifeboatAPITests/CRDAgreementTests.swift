import Foundation
import LifeboatAPI
import Testing
import YAML

/// crds/ and the Swift types must describe the same API: same fields, same required flags, same
/// enum values, same defaults. A field added on one side only fails here.
@Suite struct CRDAgreementTests {
    @Test func drPlanTypesMatchTheCRD() throws {
        let differences = ShapeComparison.differences(swift: try SchemaProbe.shapes(of: DRPlan.self),
                                                      crd: CRDShapes.shapes(of: LifeboatSchemas.drPlan))
        #expect(differences.isEmpty, "DRPlan drift:\n\(differences.joined(separator: "\n"))")
    }

    @Test func drExecutionTypesMatchTheCRD() throws {
        let differences = ShapeComparison.differences(swift: try SchemaProbe.shapes(of: DRExecution.self),
                                                      crd: CRDShapes.shapes(of: LifeboatSchemas.drExecution))
        #expect(differences.isEmpty, "DRExecution drift:\n\(differences.joined(separator: "\n"))")
    }

    @Test func theProbeSeesEveryFieldKind() throws {
        let shapes = try SchemaProbe.shapes(of: DRPlan.self)
        #expect(shapes["spec.layers[].resources[].module"]?.enumValues?.count == ModuleName.allCases.count)
        #expect(shapes["spec.layers[].resources[].onError"]?.defaultValue == "Fail")
        #expect(shapes["spec.layers[].resources[].parameters"]?.kind == .opaque)
        #expect(shapes["spec.regions.primary"] == FieldShape(kind: .string, required: true))
        #expect(shapes["spec.accounts"]?.defaultValue == .object([:]))
        #expect(shapes["status.conditions[].lastTransitionTime"]?.required == true)
    }

    // The comparison itself must catch drift in either direction.

    @Test func aFieldOnlyInTheCRDIsReported() throws {
        var crd = CRDShapes.shapes(of: LifeboatSchemas.drPlan)
        crd["spec.layers[].resources[].region"] = FieldShape(kind: .string, required: false)
        let differences = ShapeComparison.differences(swift: try SchemaProbe.shapes(of: DRPlan.self), crd: crd)
        #expect(differences == ["spec.layers[].resources[].region: only in the CRD (string)"])
    }

    @Test func aFieldOnlyInSwiftIsReported() throws {
        struct PlanWithExtraField: Decodable {
            var plan: DRPlan
            var priority: Int
            init(from decoder: any Decoder) throws {
                plan = try DRPlan(from: decoder)
                enum Keys: String, CodingKey { case spec }
                let spec = try decoder.container(keyedBy: Keys.self).superDecoder(forKey: .spec)
                enum SpecKeys: String, CodingKey { case priority }
                priority = try spec.container(keyedBy: SpecKeys.self).decode(Int.self, forKey: .priority)
            }
        }
        let differences = ShapeComparison.differences(swift: try SchemaProbe.shapes(of: PlanWithExtraField.self),
                                                      crd: CRDShapes.shapes(of: LifeboatSchemas.drPlan))
        #expect(differences == ["spec.priority: only in Swift (integer, required)"])
    }

    @Test func enumAndDefaultDriftIsReported() throws {
        var crd = CRDShapes.shapes(of: LifeboatSchemas.drExecution)
        crd["spec.mode"]?.enumValues = ["Drill", "Recovery", "Rehearsal"]
        crd["spec.strategy"]?.defaultValue = "Ungraceful"
        crd["spec.phase"]?.required = false
        let differences = ShapeComparison.differences(swift: try SchemaProbe.shapes(of: DRExecution.self), crd: crd)
        #expect(differences == [
            "spec.mode: enum [\"Drill\", \"Recovery\"] in Swift, [\"Drill\", \"Recovery\", \"Rehearsal\"] in the CRD",
            "spec.phase: required in Swift, optional in the CRD",
            "spec.strategy: default \"Graceful\" in Swift, \"Ungraceful\" in the CRD",
        ])
    }

    @Test func embeddedCRDsAreTheFilesInCrdsFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (name, embedded) in [("drplans", EmbeddedCRDs.drplans), ("drexecutions", EmbeddedCRDs.drexecutions)] {
            let file = try String(contentsOf: root.appendingPathComponent("crds/lifeboat.dev_\(name).yaml"), encoding: .utf8)
            let normalised = file.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
                .joined(separator: "\n")
            #expect(embedded == normalised.trimmingCharacters(in: .newlines),
                    "crds/lifeboat.dev_\(name).yaml changed: run `make generate`")
        }
    }

    @Test func crdsDeclareNamesColumnsAndSubresources() throws {
        for (text, kind, short) in [(EmbeddedCRDs.drplans, "DRPlan", "drp"), (EmbeddedCRDs.drexecutions, "DRExecution", "drx")] {
            let crd = try YAML.parseDocument(text).value
            #expect(crd["spec"]?["names"]?["kind"] == .string(kind))
            #expect(crd["spec"]?["names"]?["shortNames"] == [.string(short)])
            #expect(crd["spec"]?["names"]?["categories"] == ["lifeboat"])
            #expect(crd["spec"]?["versions"]?[0]?["subresources"]?["status"] == .object([:]))
            #expect((crd["spec"]?["versions"]?[0]?["additionalPrinterColumns"]?.arrayValue?.count ?? 0) >= 6)
        }
        let spec = LifeboatSchemas.drExecution.property("spec")
        #expect(spec?.celRules.contains { $0.rule == "self == oldSelf" } == true)
    }
}
