import Engine
import LifeboatAPI
import LocalStore

/// The commands messages tell a person to run about one state directory, spelled so that they
/// work when followed: under the name drctl was invoked as (`kubectl dr` as a kubectl plugin),
/// with the real directory (never a `DIR` placeholder), and with `--simulate` for a rehearsal,
/// which refuses to go on without it.
struct RunHints {
    let program: String
    let directory: String
    let rehearsal: Bool

    init(program: String, directory: String, rehearsal: Bool) {
        self.program = program
        self.directory = directory
        self.rehearsal = rehearsal
    }

    init(program: String, store: StateDirectory) {
        self.init(program: program, directory: store.path, rehearsal: SimulationOptions.isRehearsal(store))
    }

    private var stateDir: String { "--state-dir \(Self.shellWord(directory))" }

    /// Continues (or resumes) the run of the directory.
    var resume: String { "\(program) run \(stateDir)\(rehearsal ? " --simulate" : "")" }
    var overrideGuards: String { "\(resume) --override-guards \"<why>\"" }
    var status: String { "\(program) status \(stateDir)" }
    var cancel: String { "\(program) cancel \(stateDir)" }
    func approve(_ gate: String) -> String { "\(program) approve \(stateDir) \(gate)" }

    /// The same commands for the engine's conditions, Events and prompts.
    var engineCommands: ApprovalHint.LocalCommands {
        ApprovalHint.LocalCommands(approve: "\(program) approve \(stateDir)", resume: "\(program) resume \(stateDir)",
                                   overrideGuards: overrideGuards)
    }

    /// What to do about a run the phase-order guard refused (stall reason `GuardRefused`): the
    /// engine's own advice speaks of the cluster's annotation, which does not apply here.
    func guardRefused(phase: Phase) -> String {
        let cause = phase == .activate ? "(the region this Activate targets already serves)" : "(run the Activate first)"
        return "the phase-order guard refused this run: fix what it names \(cause), or run it anyway with: \(overrideGuards)"
    }

    /// The engine's guard message without its advice to annotate the DRExecution, which is how a
    /// person overrides the guard in a cluster, not here.
    static func guardReason(_ message: String) -> String {
        let advice = "; if you are sure, "
        var index = message.startIndex
        while index < message.endIndex {
            if message[index...].hasPrefix(advice) { return String(message[..<index]) }
            index = message.index(after: index)
        }
        return message
    }

    /// A path as one shell word: quoted only when it needs to be.
    static func shellWord(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+:@%,=".contains($0)) }
        return plain && !text.isEmpty ? text : "'" + text.map { $0 == "'" ? "'\\''" : String($0) }.joined() + "'"
    }
}
