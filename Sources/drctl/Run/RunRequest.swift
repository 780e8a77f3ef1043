import LifeboatAPI
import LocalStore
import Logging

/// What `drctl run` was asked to do, read from the command line. Every mistake here is a
/// usage error (exit 2) that names the option.
struct RunRequest {
    var planPath: String?
    var phase: Phase?
    var mode: ExecutionMode?
    var direction: Direction?
    var strategy: Strategy?
    var resources: [String]?
    var timeout: GoDuration?
    var stateDirectory: String?
    var approvals: [String]
    var approveAll: Bool
    var overrideGuards: String?
    var startNew: Bool
    var simulation: SimulationOptions?
    var externalID: String?
    var pollInterval: GoDuration?
    var logFormat: LogFormat?
    var plain: Bool
    /// How the outcome is printed on standard output.
    var output: OutputFormat
    /// The plan given differs (regions, accounts, resources) from the one this directory ran,
    /// and that is on purpose: record it as this directory's plan.
    var acceptPlanChange: Bool

    static let options: [OptionSpec] = [
        .value("filename", short: "f", name: "FILE", help: "The DRPlan to run (YAML or JSON). Optional when resuming: the state directory keeps the plan."),
        .value("phase", name: "PHASE", help: "Instantiate, Activate, Cleanup or Replicate."),
        .value("mode", name: "MODE", help: "Drill or Recovery (required: say whether this is a drill)."),
        .value("direction", name: "DIRECTION", help: "Failover (default) or Failback."),
        .value("strategy", name: "STRATEGY", help: "Graceful (default) or Ungraceful (the peer region is impaired)."),
        .value("resources", name: "A,B", help: "Run only these resources of the plan."),
        .value("timeout", name: "DURATION", help: "Deadline for the whole run, e.g. 4h."),
        .value("state-dir", name: "DIR", help: "Where the run keeps its state (default: lifeboat-state/PLAN). Run again with the same directory to resume."),
        .value("approve", name: "GATES", repeatable: true, help: "Pre-approve gates, e.g. start,layer-app."),
        .flag("yes", help: "Approve every gate without asking."),
        .value("override-guards", name: "REASON", help: "Run a Recovery Cleanup/Replicate without a succeeded Activate in this state directory; the reason is recorded."),
        .flag("new", help: "Start a new run even though the state directory holds a finished one of the same phase."),
        .value("external-id", name: "ID", help: "External id for sts:AssumeRole of the plan's role (default: $LIFEBOAT_EXTERNAL_ID)."),
        .value("poll-interval", name: "DURATION", help: "Poll in-flight AWS operations at least this often (default: each module's own pace, at most 5m)."),
        .value("log-format", name: "FORMAT", help: "json or text (default: text on a terminal, json otherwise)."),
        .flag("plain", help: "Log lines and no prompts even on a terminal (gates then wait for drctl approve)."),
        .value("output", short: "o", name: "FORMAT", help: "How the outcome is printed on standard output: text (default), json or yaml."),
        .flag("accept-plan-change", help: "The plan's regions, accounts or resources changed on purpose: make it this state directory's plan."),
    ] + SimulationOptions.options

    init(_ arguments: ParsedArguments) throws(UsageError) {
        planPath = arguments.value("filename")
        if let extra = arguments.positionals.first {
            throw UsageError("unexpected argument \"\(extra)\": name the plan with -f FILE")
        }
        phase = try Self.choice(arguments.value("phase"), option: "phase")
        mode = try Self.choice(arguments.value("mode"), option: "mode")
        direction = try Self.choice(arguments.value("direction"), option: "direction")
        strategy = try Self.choice(arguments.value("strategy"), option: "strategy")
        resources = arguments.value("resources").map(LocalRequests.gateList)
        if resources?.isEmpty == true { throw UsageError("--resources needs at least one resource name") }
        timeout = try arguments.value("timeout").map { text throws(UsageError) in try Self.duration(text, option: "timeout") }
        if let timeout, timeout <= .zero { throw UsageError("--timeout must be longer than 0") }
        stateDirectory = arguments.value("state-dir")
        if stateDirectory?.isEmpty == true { throw UsageError("--state-dir needs a directory") }
        approvals = arguments.all("approve").flatMap(LocalRequests.gateList)
        if arguments.all("approve").contains(where: { LocalRequests.gateList($0).isEmpty }) {
            throw UsageError("--approve needs at least one gate, e.g. --approve start")
        }
        approveAll = arguments.has("yes")
        overrideGuards = arguments.value("override-guards")
        if overrideGuards?.allSatisfy(\.isWhitespace) == true { throw UsageError("--override-guards needs a reason: say why the guard does not apply") }
        startNew = arguments.has("new")
        simulation = try SimulationOptions(arguments)
        externalID = arguments.value("external-id")
        pollInterval = try arguments.value("poll-interval").map { text throws(UsageError) in try Self.duration(text, option: "poll-interval") }
        if let pollInterval, pollInterval < .seconds(1) { throw UsageError("--poll-interval must be at least 1s") }
        if let raw = arguments.value("log-format") {
            guard let format = LogFormat(rawValue: raw) else { throw UsageError("unsupported log format \"\(raw)\": use json or text") }
            logFormat = format
        }
        plain = arguments.has("plain")
        output = try OutputFormat(arguments)
        acceptPlanChange = arguments.has("accept-plan-change")
    }

    /// A value of an API enum, spelled in any case (`--mode drill`).
    static func choice<E: APIEnum>(_ text: String?, option: String) throws(UsageError) -> E? {
        guard let text else { return nil }
        if let value = E.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) { return value }
        let hint = EditDistance.closest(to: text, in: E.allowedValues).map { " (did you mean \($0)?)" } ?? ""
        throw UsageError("unsupported --\(option) \"\(text)\"\(hint): use \(E.allowedValues.joined(separator: ", "))")
    }

    static func duration(_ text: String, option: String) throws(UsageError) -> GoDuration {
        do { return try GoDuration(parsing: text) } catch { throw UsageError("--\(option): \(error)") }
    }

    /// Whether the flags ask for something other than `spec` (only flags that were given count).
    func contradictions(with spec: DRExecutionSpec, planName: String?) -> [String] {
        var found: [String] = []
        func check<T: Equatable & CustomStringConvertible>(_ given: T?, _ stored: T, _ option: String) {
            if let given, given != stored { found.append("--\(option) \(given) (it runs \(stored))") }
        }
        check(phase, spec.phase, "phase")
        check(mode, spec.mode, "mode")
        check(direction, spec.direction, "direction")
        check(strategy, spec.strategy, "strategy")
        if let planName, planName != spec.planRef.name { found.append("plan \(planName) (it runs plan \(spec.planRef.name))") }
        if let resources, resources != spec.resources ?? [] {
            found.append("--resources \(resources.joined(separator: ",")) (it runs \(spec.resources?.joined(separator: ",") ?? "all resources"))")
        }
        if let timeout, timeout != spec.timeout { found.append("--timeout \(timeout) (it has \(spec.timeout?.description ?? "none"))") }
        return found
    }
}
