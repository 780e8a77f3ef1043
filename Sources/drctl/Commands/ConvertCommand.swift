import LifeboatAPI
import YAML

/// `drctl convert enterprise`: turns the enterprise solution's product and application
/// manifests into one DRPlan (docs/convert.md has the rules).
enum ConvertCommand: Command {
    static let name = "convert"
    static let summary = "Convert enterprise DR manifests (JSON or YAML) into a DRPlan."
    static let synopsis = """
        convert enterprise (--product FILE … | -f APP_FILE …) --primary REGION --secondary REGION
                       [--name NAME] [--namespace NS] [--default-account ID] [-o yaml|json]
        """
    static let details = """
        Product manifests (`product-manifest-<product>-<ACTION>.json`) name their phase and list
        application manifests by key; keys are read relative to --manifest-root (default: the
        product manifest's folder, standing in for the S3 bucket). Application manifests given
        with -f take their phase from --phase or from their file name (…-ACTIVATE.json).
        All phases are merged into one plan; each resource lists the phases it runs in.
        The plan goes to standard output; warnings (renamed fields, misspellings mapped) and
        validation problems go to standard error.

        Exit status: 0 converted and valid, 1 not convertible or the plan has errors, 2 usage.

        Example:
          drctl convert enterprise --product examples/enterprise/product-manifest-payments-ACTIVATE.json \\
            --product examples/enterprise/product-manifest-payments-CLEANUP.json \\
            --primary us-east-1 --secondary us-west-2 --namespace dr > payments.yaml
        """
    static let takesArguments = true  // the source format, `enterprise`
    static let options: [OptionSpec] = [
        .value("product", name: "FILE", repeatable: true, help: "A product manifest (one per phase)."),
        .value("filename", short: "f", name: "APP_FILE", repeatable: true, help: "An application manifest."),
        .value("phase", name: "PHASE", help: "Phase of the -f files: Instantiate, Activate, Cleanup or Replicate."),
        .value("manifest-root", name: "DIR", help: "Where product manifests' application keys are found."),
        .value("primary", name: "REGION", help: "The plan's primary region (required)."),
        .value("secondary", name: "REGION", help: "The plan's secondary region (required)."),
        .value("name", name: "NAME", help: "The DRPlan's name (default: the product name)."),
        .value("namespace", short: "n", name: "NS", help: "The DRPlan's namespace."),
        .value("default-account", name: "ID", help: "Account used for resources that name none."),
        .value("description", name: "TEXT", help: "The plan's description."),
        .value("output", short: "o", name: "FORMAT", help: "Output format: yaml (default) or json."),
    ]

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard let source = arguments.positionals.first else {
            throw UsageError("say what to convert from: drctl convert enterprise …")
        }
        guard source == "enterprise" else { throw UsageError("unknown source format \"\(source)\": only \"enterprise\" is supported") }
        guard arguments.positionals.count == 1 else { throw UsageError("unexpected argument \"\(arguments.positionals[1])\"") }
        guard let primary = arguments.value("primary"), let secondary = arguments.value("secondary") else {
            throw UsageError("--primary and --secondary are required: the enterprise manifests do not say which regions they run in")
        }
        let format = try OutputFormat(arguments, default: .yaml)
        guard format != .text else { throw UsageError("a plan is written as yaml or json: use -o yaml (the default) or -o json") }
        let products = arguments.all("product")
        let applications = arguments.all("filename")
        guard !products.isEmpty || !applications.isEmpty else {
            throw UsageError("give product manifests (--product FILE) or application manifests (-f FILE)")
        }

        var phases: [(phase: Phase, steps: [[EnterpriseApplicationManifest]])] = []
        var productName: String?
        var productWarnings: [ConversionWarning] = []
        do {
            for path in products {
                let value = try parse(ManifestSource.readFile(path))
                let product = try EnterpriseProductManifest(parsing: value, source: path)
                guard !phases.contains(where: { $0.phase == product.phase }) else {
                    throw UsageError("\(path): a second product manifest for phase \(product.phase)")
                }
                productName = productName ?? product.productName
                productWarnings += product.warnings
                let root = arguments.value("manifest-root") ?? directory(of: path)
                let steps = try product.applicationFiles.map { keys throws in
                    try keys.map { key throws in
                        let file = try ManifestSource.readFile(root + "/" + key)
                        return try EnterpriseApplicationManifest(parsing: parse(file), source: file.name)
                    }
                }
                phases.append((product.phase, steps))
            }
            var byPhase: [(Phase, [EnterpriseApplicationManifest])] = []
            for path in applications {
                let phase = try applicationPhase(path, flag: arguments.value("phase"))
                let manifest = try EnterpriseApplicationManifest(parsing: parse(ManifestSource.readFile(path)), source: path)
                if let index = byPhase.firstIndex(where: { $0.0 == phase }) { byPhase[index].1.append(manifest) }
                else { byPhase.append((phase, [manifest])) }
            }
            for (phase, manifests) in byPhase {
                guard !phases.contains(where: { $0.phase == phase }) else {
                    throw UsageError("phase \(phase) is given both by a product manifest and by -f files")
                }
                phases.append((phase, [manifests]))  // applications of one phase run in parallel
            }
        } catch let error as UsageError {
            throw error
        } catch {
            console.err("error: \(error)")
            return .failure
        }

        guard let planName = arguments.value("name") ?? productName.map(EnterpriseConverter.planName(forProduct:)) else {
            throw UsageError("--name is required when no product manifest names the product")
        }
        let input = EnterpriseConversionInput(
            planName: planName, namespace: arguments.value("namespace"), primaryRegion: primary,
            secondaryRegion: secondary, defaultAccount: arguments.value("default-account"),
            description: arguments.value("description"), productName: productName,
            phases: phases.sorted { Phase.allCases.firstIndex(of: $0.phase)! < Phase.allCases.firstIndex(of: $1.phase)! })
        let converted: (plan: DRPlan, warnings: [ConversionWarning])
        do { converted = try EnterpriseConverter.convert(input) } catch {
            console.err("error: \(error)")
            return .failure
        }
        for warning in productWarnings + converted.warnings { console.err("warning: \(warning)") }

        let value: JSONValue
        do { value = try JSONValueEncoder().encode(converted.plan) } catch {
            console.err("error: the converted plan could not be encoded: \(error)")
            return .failure
        }
        switch format {
        case .json: console.out(JSONWriter.write(value))
        default: console.out(YAMLEncoder().encode(value))
        }
        // Convert then validate, so a plan that needs hand edits says so now, not at apply time.
        let problems = ManifestValidator.validate(value).problems
        for problem in problems { console.err("\(problem.isError ? "error" : "warning"): converted plan: \(problem)") }
        return problems.hasErrors ? .failure : .success
    }

    private static func parse(_ file: ManifestFile) throws -> JSONValue {
        try YAML.parseDocument(file.text, file: file.name).value
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    private static func applicationPhase(_ path: String, flag: String?) throws(UsageError) -> Phase {
        if let flag {
            guard let phase = Phase(rawValue: flag) ?? Phase(enterpriseName: flag) else {
                throw UsageError("unknown phase \"\(flag)\": use Instantiate, Activate, Cleanup or Replicate")
            }
            return phase
        }
        guard let phase = Phase(enterpriseFileName: path) else {
            throw UsageError("\(path): cannot tell the phase from the file name; add --phase")
        }
        return phase
    }
}
