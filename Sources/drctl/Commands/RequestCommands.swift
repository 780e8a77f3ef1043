import LifeboatAPI
import LocalStore

/// `drctl cancel|pause|resume|retry --state-dir DIR`: the imperative requests of a local run,
/// written as fresh tokens (API.md "Imperative annotations") into its state directory.
protocol RequestCommand: Command {
    static var annotation: String { get }
    /// Why the request makes no sense in this phase, if it does not.
    static func refusal(_ phase: ExecutionPhase) -> String?
    /// What the request does, with the commands it may take next.
    static func effect(_ hints: RunHints) -> String
}

extension RequestCommand {
    static var synopsis: String { "\(name) --state-dir DIR" }
    static var details: String {
        "Writes the request into the run's state directory; the drctl run driving it acts within a second: "
            + "\(effect(RunHints(program: "drctl", directory: "DIR", rehearsal: false))).\n\n"
            + "Exit status: 0 recorded, 1 not applicable now, 2 usage error."
    }
    static var options: [OptionSpec] { [StateDirectoryOption.option] }

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        let store = try StateDirectoryOption.open(arguments)
        let execution = try StateDirectoryOption.execution(in: store)
        let name = execution.metadata.name ?? "execution"
        if let refusal = refusal(execution.status?.phase ?? .pending) {
            console.err("drctl \(Self.name): execution \(name) \(refusal)")
            return .failure
        }
        let updated = try store.annotate([annotation: LocalRequests.token(Self.name, at: WallClock.now())])
        let hints = RunHints(program: console.program, store: store)
        console.out("\(Self.name) requested for execution \(name): \(effect(hints))")
        console.err(StateDirectoryOption.driver(of: store, execution: updated, hints: hints))
        return .success
    }
}

enum CancelCommand: RequestCommand {
    static let name = "cancel"
    static let summary = "Cancel a break-glass run: nothing new starts, work in flight is tracked, it ends Cancelled."
    static let annotation = LifeboatAnnotation.cancel
    static func effect(_ hints: RunHints) -> String { "no new work starts; work in flight is tracked to the end; the run ends Cancelled" }
    static func refusal(_ phase: ExecutionPhase) -> String? { phase.isTerminal ? "has already finished (\(phase.rawValue))" : nil }
}

enum PauseCommand: RequestCommand {
    static let name = "pause"
    static let summary = "Pause a break-glass run: nothing new starts until drctl resume."
    static let annotation = LifeboatAnnotation.pause
    static func effect(_ hints: RunHints) -> String { "no new work starts; work in flight is tracked to the end (Pausing, then Paused)" }
    static func refusal(_ phase: ExecutionPhase) -> String? {
        [.running, .awaitingApproval].contains(phase) ? nil : "is \(phase.rawValue): only a running run can pause"
    }
}

enum ResumeCommand: RequestCommand {
    static let name = "resume"
    static let summary = "Resume a paused break-glass run."
    static let annotation = LifeboatAnnotation.resume
    static func effect(_ hints: RunHints) -> String { "the run starts new work again" }
    static func refusal(_ phase: ExecutionPhase) -> String? {
        [.paused, .pausing].contains(phase) ? nil : "is \(phase.rawValue), not paused"
    }
}

enum RetryCommand: RequestCommand {
    static let name = "retry"
    static let summary = "Retry a Failed break-glass run: its failed and not-started resources run again."
    static let annotation = LifeboatAnnotation.retry
    static func effect(_ hints: RunHints) -> String { "failed and not-started resources run again when \(hints.program) run drives the directory (run \(hints.resume) if none does)" }
    static func refusal(_ phase: ExecutionPhase) -> String? { phase == .failed ? nil : "is \(phase.rawValue): only a Failed run can be retried" }
}
