import LifeboatAPI
import YAML

/// `drctl validate`: judges manifests as the API server and the controller will, offline.
enum ValidateCommand: Command {
    static let name = "validate"
    static let summary = "Check DRPlan and DRExecution manifests and list every problem."
    static let synopsis = "validate -f FILE|DIR|- [-f …] [-o text|json|yaml] [--strict]"
    static let details = """
        Each document is checked against the CRD schema (types, enums, patterns, required and
        unknown fields, as `kubectl apply` would) and against Lifeboat's rules (unique names,
        modules and their phases, account ids, regions, every module's parameters, reference
        syntax). Executions are also checked against plans given in the same run.
        Directories are read recursively (.yaml, .yml, .json). Documents of other kinds are
        passed over; enterprise manifests are pointed at `drctl convert enterprise`.

        Exit status: 0 all valid, 1 a problem was found, 2 usage error.

        Examples:
          drctl validate -f examples/
          kubectl get drplan payments -o yaml | drctl validate -f -
        """
    static let takesArguments = true  // manifests, as with -f
    static let options: [OptionSpec] = [
        .value("filename", short: "f", name: "FILE|DIR|-", repeatable: true, help: "A manifest file, a directory, or - for standard input."),
        OutputFormat.option,
        .flag("strict", help: "Treat warnings as errors."),
    ]

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        let paths = arguments.all("filename") + arguments.positionals
        guard !paths.isEmpty else { throw UsageError("name at least one manifest: -f FILE, -f DIR or -f -") }
        let format = try OutputFormat(arguments)
        let files = try ManifestSource.read(paths)
        let report = ValidationReport.build(files, strict: arguments.has("strict"))
        switch format {
        case .text: console.out(report.text)
        case .json: console.out(JSONWriter.write(report.json))
        case .yaml: console.out(YAMLEncoder().encode(report.json))
        }
        return report.isValid ? .success : .failure
    }
}
