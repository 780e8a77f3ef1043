import Engine
import LifeboatAPI
import LocalStore

/// `--state-dir DIR` of the commands that act on an existing local run (status, approve,
/// cancel, …): the directory must exist and hold an execution.
enum StateDirectoryOption {
    static let option = OptionSpec.value("state-dir", name: "DIR", help: "The state directory of the run (as given to drctl run).")

    /// The directory and the execution it holds. A missing directory is a usage error; a
    /// directory without an execution is reported as a problem (exit 1) by the caller.
    static func open(_ arguments: ParsedArguments) throws(UsageError) -> StateDirectory {
        guard let path = arguments.value("state-dir"), !path.isEmpty else {
            throw UsageError("name the run's state directory: --state-dir DIR")
        }
        let store = StateDirectory(path)
        guard store.exists else { throw UsageError("\(path): no such state directory") }
        return store
    }

    static func execution(in store: StateDirectory) throws -> DRExecution {
        guard let execution = try store.readExecution() else {
            throw LocalStoreError(.refused, "\(store.path) holds no execution (start one with drctl run)")
        }
        return execution
    }

    /// Who drives the directory now, in words, with what to do when nobody does — a command
    /// that works: a run the guard refused is not continued by running it again as it is.
    static func driver(of store: StateDirectory, execution: DRExecution, hints: RunHints) -> String {
        if let pid = store.runHolder { return "\(hints.program) run (pid \(pid)) drives this run and picks requests up within a second" }
        if execution.status?.phase?.isTerminal == true { return "the run has finished" }
        if let stalled = execution.status?.conditions?[type: ConditionType.stalled], stalled.status == .true,
           stalled.reason == "GuardRefused" {
            // A drill aimed at the serving region cannot be overridden: the condition says what to run instead.
            return execution.spec.mode == .drill ? stalled.message : hints.guardRefused(phase: execution.spec.phase)
        }
        return "no \(hints.program) run drives it now: continue it with \(hints.resume)"
    }
}
