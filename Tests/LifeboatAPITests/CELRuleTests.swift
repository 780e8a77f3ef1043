import LifeboatAPI
import Testing

/// The CRD repeats a few of Lifeboat's rules as CEL so the API server enforces them. Where the
/// CEL spells out data (which phases each module supports), it must say what the catalog says.
@Suite struct CELRuleTests {
    static var resourceSchema: StructuralSchema? {
        LifeboatSchemas.drPlan.property("spec")?.property("layers")?.items?.property("resources")?.items
    }

    /// The rule reads, per phase, "`'Phase' in self.phases` implies `self.module in [modules]`"
    /// (a shape kube-apiserver's cost estimate accepts); turned around, that is the phases of each
    /// module, which must be exactly the catalog's.
    @Test func phasesPerModuleInCELMatchTheCatalog() throws {
        let rule = try #require(Self.resourceSchema?.celRules.first { $0.rule.contains("in self.phases") }?.rule)
        var fromCEL: [String: [String]] = [:]
        let phaseOrder = ["Instantiate", "Activate", "Cleanup", "Replicate"]
        for match in rule.matches(of: /\('([A-Za-z]+)' in self\.phases\) \|\| self\.module in \[([^\]]*)\]/) {
            for module in match.2.split(separator: ",").map({ $0.trimmingCharacters(in: " '\n") }) {
                fromCEL[module, default: []].append(String(match.1))
            }
        }
        fromCEL = fromCEL.mapValues { $0.sorted { phaseOrder.firstIndex(of: $0)! < phaseOrder.firstIndex(of: $1)! } }
        let fromCatalog = Dictionary(uniqueKeysWithValues: ModuleCatalog.all.map {
            ($0.name.rawValue, $0.supportedPhases.map(\.rawValue))
        })
        #expect(fromCEL == fromCatalog)
    }

    @Test func everyCRDRuleHasAMessage() {
        for schema in [LifeboatSchemas.drPlan, LifeboatSchemas.drExecution] {
            for rule in Self.allRules(schema) {
                #expect(rule.message?.isEmpty == false, "CEL rule without a message: \(rule.rule)")
            }
        }
    }

    static func allRules(_ schema: StructuralSchema) -> [(rule: String, message: String?)] {
        schema.celRules + schema.properties.flatMap { allRules($0.schema) }
            + (schema.items.map(allRules) ?? []) + (schema.additionalProperties.map(allRules) ?? [])
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
