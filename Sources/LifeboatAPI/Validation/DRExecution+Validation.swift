import YAML

extension DRExecution {
    /// Semantic validation of the execution on its own.
    public func validate() -> [ValidationProblem] {
        var problems = MetadataRules.validateName(metadata, kind: Self.kind)
        if spec.planRef.name.isEmpty {
            problems.append(ValidationProblem("spec.planRef.name", "must name the DRPlan to run"))
        }
        if let timeout = spec.timeout, timeout <= .zero {
            problems.append(ValidationProblem("spec.timeout", "must be longer than 0", hint: "remove it for no overall deadline"))
        }
        if let resources = spec.resources {
            var seen: Set<String> = []
            for (index, name) in resources.enumerated() where !seen.insert(name).inserted {
                problems.append(ValidationProblem("spec.resources" / index, "resource \"\(name)\" is listed twice"))
            }
        }
        if spec.strategy == .ungraceful, spec.mode == .drill {
            problems.append(.warning("spec.strategy",
                "an Ungraceful drill rehearses the impaired-region path: modules never call the peer region, and data-losing actions still only validate",
                hint: "use Graceful unless you mean to rehearse a regional outage"))
        }
        for annotation in metadata.annotations?.keys.sorted() ?? [] where annotation.hasPrefix("lifeboat.dev/") {
            if !LifeboatAnnotation.all.contains(annotation) {
                problems.append(ValidationProblem(FieldPath([.key("metadata"), .key("annotations"), .key(annotation)]),
                    "unknown Lifeboat annotation",
                    hint: EditDistance.closest(to: annotation, in: LifeboatAnnotation.all).map { "did you mean \($0)?" }
                        ?? "known: \(LifeboatAnnotation.all.joined(separator: ", "))"))
            }
        }
        return problems
    }

    /// Checks that what the execution asks for exists in its plan (when the plan is at hand:
    /// in the same files, or read from the cluster).
    public func crossCheck(with plan: DRPlan) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        let resources = plan.spec.allResources
        let names = Set(resources.map(\.name))
        for (index, name) in (spec.resources ?? []).enumerated() where !names.contains(name) {
            problems.append(ValidationProblem("spec.resources" / index, "plan \(spec.planRef.name) has no resource \"\(name)\"",
                hint: EditDistance.closest(to: name, in: names.sorted()).map { "did you mean \($0)?" }))
        }
        let selected = resources.filter { spec.resources?.contains($0.name) ?? true }
        func runs(_ resource: Resource) -> Bool {
            let supported = ModuleCatalog.descriptor(for: resource.module).supportedPhases
            return (resource.phases ?? supported).contains(spec.phase)
        }
        let acting = selected.filter(runs)
        // A resource named explicitly but idle in this phase is most likely a mistake.
        for (index, name) in (spec.resources ?? []).enumerated() {
            guard let resource = resources.first(where: { $0.name == name }), !runs(resource) else { continue }
            problems.append(.warning("spec.resources" / index, "resource \"\(name)\" (\(resource.module)) does nothing in phase \(spec.phase)",
                hint: "it would be skipped; remove it from spec.resources"))
        }
        if !selected.isEmpty, acting.isEmpty {
            problems.append(.warning("spec.phase", "no resource of plan \(spec.planRef.name) runs in phase \(spec.phase): the run would do nothing"))
        }
        return problems
    }
}
