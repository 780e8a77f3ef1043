import YAML

/// A Lifeboat object read from a manifest.
public enum LifeboatObject: Sendable, Hashable {
    case plan(DRPlan)
    case execution(DRExecution)

    public var kind: String {
        switch self {
        case .plan: DRPlan.kind
        case .execution: DRExecution.kind
        }
    }

    public var metadata: ObjectMeta {
        switch self {
        case .plan(let plan): plan.metadata
        case .execution(let execution): execution.metadata
        }
    }
}

/// The verdict on one document of a manifest.
public struct ManifestVerdict: Sendable {
    /// `DRPlan`, `DRExecution`, or the kind of a document that is not Lifeboat's.
    public var kind: String?
    public var name: String?
    public var namespace: String?
    /// Every problem, with paths into the document as written.
    public var problems: [ValidationProblem]
    /// The decoded, defaulted object, when the document could be decoded at all (also when it
    /// has problems: the part that was valid).
    public var object: LifeboatObject?
    /// True for documents of other kinds (Namespaces, Kustomizations, …) that were passed over.
    public var isForeign: Bool

    public var isValid: Bool { !isForeign && !problems.hasErrors }
}

/// Validates manifests the way the API server and the controller will judge them: the CRD's
/// structural schema (as `kubectl apply` does), then Lifeboat's semantic rules, with every
/// problem listed by JSON path.
public enum ManifestValidator {
    public static func validate(_ value: JSONValue) -> ManifestVerdict {
        var verdict = ManifestVerdict(problems: [], isForeign: false)
        guard case .object(let document) = value else {
            verdict.problems = [ValidationProblem(.root, "expected a Kubernetes object (a mapping), got \(value.typeName)")]
            return verdict
        }
        let apiVersion = document["apiVersion"]?.stringValue
        let kind = document["kind"]?.stringValue
        verdict.kind = kind
        verdict.name = document["metadata"]?["name"]?.stringValue
        verdict.namespace = document["metadata"]?["namespace"]?.stringValue
        guard let apiVersion, let kind else {
            verdict.problems = [ValidationProblem(apiVersion == nil ? "apiVersion" : "kind", "required field is missing",
                hint: "a Lifeboat object starts with apiVersion: \(LifeboatGroup.apiVersion) and kind: DRPlan or DRExecution")]
            return verdict
        }
        let group = apiVersion.split(separator: "/").first.map(String.init)
        guard group == LifeboatGroup.name else {
            verdict.isForeign = true
            return verdict
        }
        guard apiVersion == LifeboatGroup.apiVersion else {
            verdict.problems = [ValidationProblem("apiVersion", "unsupported version \"\(apiVersion)\"", hint: "use \(LifeboatGroup.apiVersion)")]
            return verdict
        }
        guard let schema = LifeboatSchemas.schema(forKind: kind) else {
            verdict.problems = [ValidationProblem("kind", "unknown Lifeboat kind \"\(kind)\"",
                hint: EditDistance.closest(to: kind, in: [DRPlan.kind, DRExecution.kind]).map { "did you mean \($0)?" } ?? "use DRPlan or DRExecution")]
            return verdict
        }

        let report = StructuralValidator.check(value, against: schema)
        let structural = report.problems
        let pruned = DocumentPruner(schema: schema).prune(value, blockers: report.decodingBlockers)
        verdict.problems = structural
        guard let remaining = pruned.value else { return verdict }

        let defaulted = schema.applyingDefaults(to: remaining)
        let semantic: [ValidationProblem]
        do {
            switch kind {
            case DRPlan.kind:
                let plan = try YAMLDecoder().decode(DRPlan.self, from: defaulted)
                verdict.object = .plan(plan)
                semantic = plan.validate()
            default:
                let execution = try YAMLDecoder().decode(DRExecution.self, from: defaulted)
                verdict.object = .execution(execution)
                semantic = execution.validate()
            }
        } catch {
            // The schema admitted something the Swift types refuse: report it rather than hide it.
            let path = error.path.map(pruned.originalPath(of:)) ?? .root
            verdict.problems.append(ValidationProblem(path, error.message))
            return verdict
        }
        verdict.problems += deduplicated(semantic.map { problem in
            var mapped = problem
            mapped.path = pruned.originalPath(of: problem.path)
            return mapped
        }, against: structural)
        return verdict
    }

    /// A semantic problem at a path the structural check already reported is the same mistake.
    private static func deduplicated(_ problems: [ValidationProblem], against reported: [ValidationProblem]) -> [ValidationProblem] {
        let paths = Set(reported.map(\.path))
        return problems.filter { !paths.contains($0.path) }
    }
}
