import AWS
import Dispatch
import LifeboatAPI
import Modules
import Synchronization
import YAML

/// `drctl doctor`: checks, without changing anything, what a run of a plan needs from AWS.
enum DoctorCommand: Command {
    static let name = "doctor"
    static let summary = "Check AWS access for a plan: identity, every account's role, every parameter reference."
    static let synopsis = "doctor [-f PLAN] [--region REGION] [--external-id ID] [-o text|json|yaml]"
    static let details = """
        Uses the standard AWS credential chain (environment, web identity, profile, container,
        instance metadata) and endpoints (AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).
        Checks, in order:
          identity     sts:GetCallerIdentity with the base credentials;
          assume-role  sts:AssumeRole of the plan's role (spec.accounts.roleName) in every account
                       the plan's resources act in, with the external id;
          reference    every resolve:ssm:… and !Import … in the resources' parameters resolves, in
                       the resource's account and the acting region (values are never printed).
        The external id lives in a Kubernetes Secret in the cluster; here give it with
        --external-id or LIFEBOAT_EXTERNAL_ID. References are resolved in --region, by default
        the plan's secondary region (where Activate acts).

        Exit status: 0 every check passed, 1 a check failed or the plan is invalid, 2 usage error.

        Example:
          AWS_PROFILE=dr drctl doctor -f examples/payments-plan.yaml --external-id "$EXTERNAL_ID"
        """
    static let takesArguments = true  // refused below, saying how to name the plan
    static let options: [OptionSpec] = [
        .value("filename", short: "f", name: "PLAN", help: "The DRPlan to check (a file, or - for standard input)."),
        .value("region", name: "REGION", help: "Region to resolve references in (default: the plan's secondary region)."),
        .value("external-id", name: "ID", help: "External id for sts:AssumeRole (default: $LIFEBOAT_EXTERNAL_ID)."),
        OutputFormat.option,
    ]

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.isEmpty else { throw UsageError("unexpected argument \"\(arguments.positionals[0])\": give the plan with -f") }
        let format = try OutputFormat(arguments)
        let environment = AWSEnvironment.process
        var plan: DRPlan?
        if let path = arguments.value("filename") {
            switch try loadPlan(path) {
            case .success(let loaded): plan = loaded
            case .failure(let refusal):
                console.err(refusal.message)
                return .failure
            }
        }
        let region = arguments.value("region") ?? plan?.spec.regions.secondary ?? environment.region ?? "us-east-1"
        let externalID = arguments.value("external-id") ?? environment["LIFEBOAT_EXTERNAL_ID"]
        let http = environment.httpClient
        let base = AWSClient(region: environment.region ?? plan?.spec.regions.primary ?? "us-east-1",
                             credentials: CredentialProviderChain.standard(environment: environment, http: http, retry: environment.retry),
                             http: http, endpoints: EndpointResolver(environment: environment), retry: environment.retry)
        let checker = PlanAccessChecker(base: base, externalID: externalID, region: region)
        let checks = AsyncBridge.wait { [plan] in
            if let plan { return await checker.check(plan) }
            return await checker.checkIdentity()
        }

        var notes: [String] = []
        if let secret = plan?.spec.accounts.externalIdSecretRef, externalID == nil {
            notes.append("the plan takes its external id from Secret \(secret.name) (key \(secret.key)); "
                         + "pass --external-id or LIFEBOAT_EXTERNAL_ID to check the roles with it")
        }
        let passed = checks.allSatisfy { $0.passed }
        switch format {
        case .text: console.out(text(checks, notes: notes))
        case .json: console.out(JSONWriter.write(json(checks, region: region, notes: notes)))
        case .yaml: console.out(YAMLEncoder().encode(json(checks, region: region, notes: notes)))
        }
        return passed ? .success : .failure
    }

    /// The plan in `path` (exactly one DRPlan, valid), or the problems as `drctl validate` words them.
    struct PlanRefusal: Error {
        let message: String
    }

    private static func loadPlan(_ path: String) throws(UsageError) -> Result<DRPlan, PlanRefusal> {
        var plans: [DRPlan] = []
        for file in try ManifestSource.read([path]) {
            let documents: [YAMLDocument]
            do { documents = try YAML.parseDocuments(file.text, file: file.name) } catch {
                return .failure(PlanRefusal(message: "\(file.name): \(error.message)"))
            }
            for document in documents {
                let verdict = ManifestValidator.validate(document.value)
                guard case .plan(let plan)? = verdict.object else { continue }
                guard verdict.isValid else {
                    return .failure(PlanRefusal(message: "\(path): the plan is not valid; run `drctl validate -f \(path)` for the problems"))
                }
                plans.append(plan)
            }
        }
        guard plans.count == 1 else {
            return .failure(PlanRefusal(message: "\(path) holds \(plans.isEmpty ? "no DRPlan" : "\(plans.count) DRPlans"): give drctl doctor exactly one plan"))
        }
        return .success(plans[0])
    }

    static func text(_ checks: [AccessCheck], notes: [String]) -> String {
        let header = ["CHECK", "SUBJECT", "RESULT", "DETAIL"]
        let rows = checks.map { [$0.kind.rawValue, $0.subject, $0.passed ? "ok" : "FAIL", $0.detail] }
        let widths = (0..<3).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            (0..<3).map { cells[$0] + String(repeating: " ", count: widths[$0] - cells[$0].count) }.joined(separator: "  ") + "  " + cells[3]
        }
        var lines = [line(header)]
        for (check, row) in zip(checks, rows) {
            lines.append(line(row))
            if let hint = check.hint, !check.passed { lines.append(String(repeating: " ", count: widths[0] + 2) + "hint: " + hint) }
        }
        let failed = checks.filter { !$0.passed }.count
        lines.append("\(checks.count) check\(checks.count == 1 ? "" : "s"): \(checks.count - failed) passed, \(failed) failed")
        lines += notes.map { "note: " + $0 }
        return lines.joined(separator: "\n")
    }

    static func json(_ checks: [AccessCheck], region: String, notes: [String]) -> JSONValue {
        [
            "ok": .bool(checks.allSatisfy(\.passed)), "region": .string(region),
            "checks": .array(checks.map { check in
                var object: JSONObject = ["check": .string(check.kind.rawValue), "subject": .string(check.subject),
                                          "passed": .bool(check.passed), "detail": .string(check.detail)]
                if let hint = check.hint { object["hint"] = .string(hint) }
                return .object(object)
            }),
            "notes": .array(notes.map(JSONValue.string)),
        ]
    }

    /// Commands are synchronous; the AWS client is async.
}
