import Engine
import LifeboatAPI
import LocalStore
import Logging

/// Without a terminal: one log line per Event (structured, `--log-format`), the progress of
/// operations in flight, and gates wait for `drctl approve` from another shell.
final class LogObserver: RunObserver {
    let logger: Logger
    let hints: RunHints
    /// The last progress message logged per resource.
    private var progress: [String: String] = [:]
    private var requestProblems = RequestProblemReporter()

    init(logger: Logger, hints: RunHints) {
        self.logger = logger
        self.hints = hints
    }

    var asksPeople: Bool { false }

    func stepped(_ execution: DRExecution, events: [EngineEvent], now: Timestamp) {
        for problem in requestProblems.new(in: execution) { logger.warning(problem, ["reason": "RequestIgnored"]) }
        for event in events {
            let level: Logger.Level = event.kind == .warning ? .warning : .info
            // The engine words the approve command for its default program; say it as invoked.
            let message = event.reason == .gateWaiting && event.subject != nil
                ? "waiting for approval of gate \(event.subject!): \(hints.approve(event.subject!))" : RunHints.guardReason(event.message)
            if let subject = event.subject {
                logger.log(level, message, ["reason": .string(event.reason.rawValue), "subject": .string(subject)])
            } else {
                logger.log(level, message, ["reason": .string(event.reason.rawValue)])
            }
        }
        logProgress(execution, events: events)
    }

    /// A long operation (a DRS launch, an Aurora switchover) reports progress at each poll; it
    /// is logged when it says something new. An identical message poll after poll would bury
    /// the log without telling anything, and a changed one is what a person watches for.
    private func logProgress(_ execution: DRExecution, events: [EngineEvent]) {
        for layer in execution.status?.layers ?? [] {
            for resource in layer.resources where resource.state == .inProgress {
                guard let message = resource.message, progress[resource.name] != message else { continue }
                progress[resource.name] = message
                // An Event of this step (ResourceStarted, ResourceRetrying) has just said it.
                if events.contains(where: { $0.subject == resource.name }) { continue }
                logger.info("\(resource.name) (\(resource.module)): \(message)",
                            ["reason": "ResourceProgress", "subject": .string(resource.name), "layer": .string(layer.name)])
            }
        }
    }

    func waiting(_ execution: DRExecution, now: Timestamp) {}

    func answer(gate: String, of execution: DRExecution, within: Duration) -> GateAnswer? { nil }

    func interrupted(_ execution: DRExecution, signal: Int32) {
        logger.warning("interrupted: cancel requested; no new work starts and work in flight is tracked to the end. Interrupt again to stop at once (the state directory stays resumable)",
                       ["signal": .int(Int(signal))])
    }
}

/// On a terminal: the execution redrawn in place (layers, resources, states, elapsed times)
/// with the latest Events under it, and gates asked as y/N prompts.
final class LiveView: RunObserver {
    let console: Console
    let hints: RunHints
    private var drawnLines = 0
    private var lastDraw: Timestamp?
    private var recentEvents: [String] = []
    /// The gate being asked about, while its prompt is on screen.
    private var prompting: String?
    private var inputClosed = false
    private var requestProblems = RequestProblemReporter()

    init(console: Console, hints: RunHints) {
        self.console = console
        self.hints = hints
    }

    var asksPeople: Bool { !inputClosed }

    func stepped(_ execution: DRExecution, events: [EngineEvent], now: Timestamp) {
        recentEvents += requestProblems.new(in: execution).map { "! " + $0 }
        for event in events {
            recentEvents.append("\(event.kind == .warning ? "! " : "")\(event.message)")
        }
        recentEvents = Array(recentEvents.suffix(5))
        if prompting != nil {
            // The gate was decided elsewhere (drctl approve) or the run moved on: leave the prompt.
            console.out("")
            prompting = nil
            drawnLines = 0
        }
        draw(execution, now: now, force: !events.isEmpty || execution.status?.phase?.isTerminal == true)
    }

    func waiting(_ execution: DRExecution, now: Timestamp) {
        guard prompting == nil else { return }
        draw(execution, now: now, force: false)
    }

    func answer(gate: String, of execution: DRExecution, within: Duration) -> GateAnswer? {
        if prompting != gate {
            prompting = gate
            drawnLines = 0
            let spec = execution.spec
            console.out("Gate \(gate): approve the \(spec.mode) \(spec.phase) of plan \(spec.planRef.name)\(gate == Gate.startID ? "" : " to go on")? [y/N]")
        }
        let milliseconds = within.components.seconds * 1000 + within.components.attoseconds / 1_000_000_000_000_000
        switch Terminal.readLine(within: Int32(clamping: milliseconds)) {
        case .nothingYet:
            return nil
        case .closed:
            inputClosed = true
            prompting = nil
            console.out("\n(no terminal input: approve from another shell with \(hints.approve(gate)))")
            return nil
        case .line(let text):
            prompting = nil
            let yes = ["y", "yes"].contains(text.lowercased().filter { !$0.isWhitespace })
            console.out(yes ? "gate \(gate) approved" : "gate \(gate) rejected: the run ends Cancelled")
            return yes ? .approve : .reject
        }
    }

    func interrupted(_ execution: DRExecution, signal: Int32) {
        drawnLines = 0
        console.out("\ninterrupted: cancel requested — no new work starts; work in flight is tracked to the end. Press Ctrl-C again to stop at once (the state directory stays resumable).")
    }

    /// Redraws in place: the cursor goes back up over the last drawing and everything below is
    /// cleared. Lines are cut to the terminal's width so each takes exactly one row.
    private func draw(_ execution: DRExecution, now: Timestamp, force: Bool) {
        if !force, let lastDraw, now.milliseconds(since: lastDraw) < 250 { return }
        lastDraw = now
        let width = Terminal.width
        var lines = ExecutionView(execution: execution, now: now, hints: hints, compact: true).lines
        lines += recentEvents.map { "  · " + $0 }
        let room = max(4, Terminal.height - 2)
        if lines.count > room { lines = Array(lines.prefix(room - 1)) + ["  … \(lines.count - room + 1) more lines (\(hints.status))"] }
        let text = lines.map { $0.count > width - 1 ? String($0.prefix(width - 2)) + "…" : $0 }.joined(separator: "\n")
        let up = drawnLines > 0 ? "\u{1B}[\(drawnLines)F" : ""
        console.out(up + "\u{1B}[J" + text)
        drawnLines = lines.count
    }
}
