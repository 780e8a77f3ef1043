import LifeboatAPI
import YAML

/// The outcome of `drctl validate` over a set of files, renderable as text, JSON or YAML.
struct ValidationReport {
    struct Entry {
        let file: String
        /// 0-based document index in the file; nil for a file that could not be parsed.
        let document: Int?
        let verdict: ManifestVerdict?
        let note: String?
        let problems: [(problem: ValidationProblem, location: SourceLocation?)]
        let strict: Bool

        var isValid: Bool { !problems.contains { $0.problem.isError || strict } }
        var label: String {
            guard let verdict else { return file }
            let name = [verdict.namespace, verdict.name].compactMap { $0 }.joined(separator: "/")
            return "\(verdict.kind ?? "document") \(name.isEmpty ? "(unnamed)" : name)"
        }
    }

    private(set) var entries: [Entry] = []
    var isValid: Bool { entries.allSatisfy(\.isValid) }

    static func build(_ files: [ManifestFile], strict: Bool) -> ValidationReport {
        var report = ValidationReport()
        var plans: [(document: YAMLDocument, plan: DRPlan)] = []
        var executions: [(entryIndex: Int, document: YAMLDocument, execution: DRExecution)] = []
        for file in files {
            let documents: [YAMLDocument]
            do {
                documents = try YAML.parseDocuments(file.text, file: file.name)
            } catch {
                let problem = ValidationProblem(error.path ?? .root, error.message)
                report.entries.append(Entry(file: file.name, document: nil, verdict: nil, note: nil,
                                            problems: [(problem, error.location)], strict: strict))
                continue
            }
            if documents.isEmpty {
                // An empty file (or empty standard input) is not a valid manifest: most likely the
                // wrong file, or a pipe whose producer failed.
                let problem = ValidationProblem(.root, "nothing to validate: the file holds no document")
                report.entries.append(Entry(file: file.name, document: nil, verdict: nil, note: nil, problems: [(problem, nil)], strict: strict))
                continue
            }
            for (index, document) in documents.enumerated() {
                if EnterpriseManifestDetection.matches(document.value) {
                    report.entries.append(Entry(file: file.name, document: index, verdict: nil,
                        note: "an enterprise manifest, not a Lifeboat object: convert it with `drctl convert enterprise`",
                        problems: [], strict: strict))
                    continue
                }
                let verdict = ManifestValidator.validate(document.value)
                switch verdict.object {
                case .plan(let plan)?: plans.append((document, plan))
                case .execution(let execution)?: executions.append((report.entries.count, document, execution))
                case nil: break
                }
                report.entries.append(Entry(file: file.name, document: index, verdict: verdict,
                    note: verdict.isForeign ? "not a Lifeboat object; passed over" : nil,
                    problems: inReadingOrder(verdict.problems.map { ($0, document.location(of: $0.path)) }), strict: strict))
            }
        }
        // An execution whose plan is among the inputs is checked against it.
        for (entryIndex, document, execution) in executions {
            guard let plan = plans.first(where: { Self.refers(execution, to: $0.plan) })?.plan else { continue }
            let entry = report.entries[entryIndex]
            let extra = execution.crossCheck(with: plan).map { ($0, document.location(of: $0.path)) }
            report.entries[entryIndex] = Entry(file: entry.file, document: entry.document, verdict: entry.verdict,
                                               note: entry.note, problems: inReadingOrder(entry.problems + extra), strict: strict)
        }
        return report
    }

    /// Problems in the order a person reads the file (stable for those at the same place).
    private static func inReadingOrder(_ problems: [(problem: ValidationProblem, location: SourceLocation?)])
        -> [(problem: ValidationProblem, location: SourceLocation?)] {
        problems.enumerated().sorted { a, b in
            let x = a.element.location.map { ($0.mark.line, $0.mark.column) } ?? (0, 0)
            let y = b.element.location.map { ($0.mark.line, $0.mark.column) } ?? (0, 0)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    private static func refers(_ execution: DRExecution, to plan: DRPlan) -> Bool {
        guard execution.spec.planRef.name == plan.metadata.name else { return false }
        guard let a = execution.metadata.namespace, let b = plan.metadata.namespace else { return true }
        return a == b
    }

    var text: String {
        var lines: [String] = []
        var errors = 0, warnings = 0, invalid = 0, checked = 0
        for entry in entries {
            if let note = entry.note {
                lines.append("\(entry.file)\(entry.document.map { " (document \($0 + 1))" } ?? ""): \(note)")
                continue
            }
            checked += 1
            for (problem, location) in entry.problems {
                let severity = problem.isError || entry.strict ? "error" : "warning"
                if severity == "error" { errors += 1 } else { warnings += 1 }
                let place = location.map { "\($0)" } ?? entry.file
                let subject = entry.verdict == nil ? "" : "\(entry.label): "
                let path = problem.path.isRoot ? "" : "\(problem.path): "
                lines.append("\(place): \(severity): \(subject)\(path)\(problem.message)")
                if let hint = problem.hint { lines.append("    hint: \(hint)") }
            }
            if !entry.isValid { invalid += 1 }
            if entry.problems.isEmpty { lines.append("\(entry.file): \(entry.label) is valid") }
        }
        var summary = "\(checked) document\(checked == 1 ? "" : "s") checked: \(checked - invalid) valid, \(invalid) invalid"
        if errors + warnings > 0 { summary += " (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"))" }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    var json: JSONValue {
        let documents: [JSONValue] = entries.map { entry in
            var object: JSONObject = ["file": .string(entry.file)]
            if let document = entry.document { object["document"] = .int(document) }
            if let verdict = entry.verdict {
                object["kind"] = verdict.kind.map(JSONValue.string) ?? .null
                if let namespace = verdict.namespace { object["namespace"] = .string(namespace) }
                if let name = verdict.name { object["name"] = .string(name) }
            }
            if let note = entry.note { object["skipped"] = .string(note) }
            object["valid"] = .bool(entry.isValid)
            object["problems"] = .array(entry.problems.map { problem, location in
                var item: JSONObject = [
                    "severity": .string(problem.isError || entry.strict ? "error" : "warning"),
                    "path": .string("\(problem.path)"),
                    "message": .string(problem.message),
                ]
                if let hint = problem.hint { item["hint"] = .string(hint) }
                if let location {
                    item["line"] = .int(location.mark.line)
                    item["column"] = .int(location.mark.column)
                }
                return .object(item)
            })
            return .object(object)
        }
        return ["valid": .bool(isValid), "documents": .array(documents)]
    }
}

/// Recognises the enterprise solution's manifests so `validate` can point at `convert`
/// instead of reporting them as broken Kubernetes objects.
enum EnterpriseManifestDetection {
    static func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let layers):
            return !layers.isEmpty && layers.allSatisfy { $0["resources"] != nil && $0["layer"] != nil }
        case .object(let object):
            return object["apiVersion"] == nil && object["kind"] == nil && object["product"] != nil && object["action"] != nil
        default:
            return false
        }
    }
}
