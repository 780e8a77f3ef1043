import YAML

/// The structural schemas of the shipped CRDs, read once from the embedded copies of crds/.
public enum LifeboatSchemas {
    public static let drPlan = openAPISchema(of: EmbeddedCRDs.drplans, crd: "drplans.lifeboat.dev")
    public static let drExecution = openAPISchema(of: EmbeddedCRDs.drexecutions, crd: "drexecutions.lifeboat.dev")

    public static func schema(forKind kind: String) -> StructuralSchema? {
        switch kind {
        case DRPlan.kind: drPlan
        case DRExecution.kind: drExecution
        default: nil
        }
    }

    /// The embedded CRDs are part of the build, not input: the CRD tests prove they parse, so a
    /// failure here is a broken build and stopping loudly is right.
    private static func openAPISchema(of crdText: String, crd: String) -> StructuralSchema {
        do {
            let document = try YAML.parseDocument(crdText, file: "crds/\(crd)")
            guard let schema = document.value["spec"]?["versions"]?[0]?["schema"]?["openAPIV3Schema"] else {
                preconditionFailure("embedded CRD \(crd) has no openAPIV3Schema")
            }
            return try StructuralSchema(schema)
        } catch {
            preconditionFailure("embedded CRD \(crd) is unreadable: \(error)")
        }
    }
}
