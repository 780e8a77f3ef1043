import LifeboatAPI
import LocalStore

/// `drctl approve --state-dir DIR GATE[,GATE]`: decides gates of a local run, from any shell.
enum ApproveCommand: Command {
    static let name = "approve"
    static let summary = "Approve (or --reject) gates of a break-glass run, from another shell."
    static let synopsis = "approve --state-dir DIR GATE[,GATE…] [--reject] [--by NAME]"
    static let details = """
        Writes the decision into the run's state directory (execution.yaml, under its lock); the
        `drctl run` driving it picks the decision up within a second. Approving before the gate
        is reached is allowed (pre-approval). A rejected gate ends the run Cancelled.
        Gates: start, and layer-NAME for each layer with pauseBefore.

        Exit status: 0 recorded, 1 the run has finished or the directory holds none, 2 usage error.

        Examples:
          drctl approve --state-dir /srv/dr/payments start
          drctl approve --state-dir /srv/dr/payments layer-traffic --reject
        """
    static let takesArguments = true  // the gates
    static let options: [OptionSpec] = [
        StateDirectoryOption.option,
        .flag("reject", help: "Reject instead: the run ends Cancelled."),
        .value("by", name: "NAME", help: "Who decides (default: $USER@host)."),
    ]

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        let store = try StateDirectoryOption.open(arguments)
        // `start,layer-app,start` decides two gates, and says so once each.
        let requested = LocalRequests.gateList(LocalRequests.merged(nil, adding: arguments.positionals))
        guard !requested.isEmpty else { throw UsageError("name the gate(s) to \(arguments.has("reject") ? "reject" : "approve"), e.g. start") }
        let execution = try StateDirectoryOption.execution(in: store)
        let name = execution.metadata.name ?? "execution"
        guard let plan = try execution.status?.plan?.snapshot ?? PlanInput.stored(in: store)?.plan.spec else {
            throw LocalStoreError(.refused, "\(store.path) holds no plan")
        }
        let gates = LocalRequests.gates(of: plan)
        for gate in requested where !gates.contains(gate) {
            let hint = EditDistance.closest(to: gate, in: gates).map { " (did you mean \($0)?)" } ?? ""
            throw UsageError("execution \(name) has no gate \"\(gate)\"\(hint); its gates are \(gates.joined(separator: ", "))")
        }
        if let phase = execution.status?.phase, phase.isTerminal {
            console.err("drctl approve: execution \(name) has already finished (\(phase.rawValue)); nothing to decide")
            return .failure
        }
        let approve = !arguments.has("reject")
        let person = arguments.value("by") ?? LocalRequests.person
        let updated = try store.annotate { current in
            LocalRequests.deciding(requested, approve: approve, in: current, by: person)
        }
        let verb = approve ? "approved" : "rejected"
        console.out("gate\(requested.count == 1 ? "" : "s") \(requested.joined(separator: ", ")) \(verb) by \(person) for execution \(name)")
        console.err(StateDirectoryOption.driver(of: store, execution: updated, hints: RunHints(program: console.program, store: store)))
        return .success
    }
}
