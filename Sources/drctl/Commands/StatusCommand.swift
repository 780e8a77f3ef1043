import LifeboatAPI
import LocalStore
import YAML

/// `drctl status --state-dir DIR`: what a local run is doing or did.
enum StatusCommand: Command {
    static let name = "status"
    static let summary = "Show a break-glass run: phase, layers, resources, gates and what to do next."
    static let synopsis = "status --state-dir DIR [-o text|json|yaml]"
    static let details = """
        Reads the state directory of a `drctl run` (running or not) and shows the execution:
        its phase and progress, every layer and resource with state, elapsed time and message,
        the gates and how to approve them. -o json and -o yaml print the DRExecution itself.

        Exit status: 0 shown, 1 the directory holds no execution, 2 usage error.
        """
    static let options: [OptionSpec] = [StateDirectoryOption.option, OutputFormat.option]

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        let format = try OutputFormat(arguments)
        let store = try StateDirectoryOption.open(arguments)
        let execution = try StateDirectoryOption.execution(in: store)
        switch format {
        case .json: console.out(JSONWriter.write(try JSONValueEncoder().encode(execution)))
        case .yaml: console.out(try YAMLEncoder().encode(execution))
        case .text:
            let hints = RunHints(program: console.program, store: store)
            let view = ExecutionView(execution: execution, now: WallClock.now(), hints: hints)
            var lines = view.lines + view.conditionLines
            lines.append("  \(StateDirectoryOption.driver(of: store, execution: execution, hints: hints))")
            console.out(lines.joined(separator: "\n"))
        }
        return .success
    }
}
