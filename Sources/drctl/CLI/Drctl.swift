import LifeboatAPI

/// The root of the command tree: picks the verb, prints help, and turns usage errors into
/// exit status 2 with a pointer to `--help`. Also runs as the kubectl plugin `kubectl dr`.
enum Drctl {
    static var commands: [any Command.Type] { [ValidateCommand.self, ConvertCommand.self, VersionCommand.self, DoctorCommand.self,
                                                RunCommand.self, StatusCommand.self, ApproveCommand.self, CancelCommand.self,
                                                PauseCommand.self, ResumeCommand.self, RetryCommand.self] }

    static func main(_ argv: [String], console: Console = Console()) -> ExitCode {
        let invokedAs = argv.first.map { String($0.split(separator: "/").last ?? "") } ?? "drctl"
        let program = invokedAs == "kubectl-dr" ? "kubectl dr" : "drctl"
        var console = console
        console.program = program
        var arguments = Array(argv.dropFirst())
        guard let verb = arguments.first else {
            console.err(overview(program: program))
            return .usage
        }
        if verb == "help" || verb == "--help" || verb == "-h" {
            if arguments.count > 1, let command = commands.first(where: { $0.name == arguments[1] }) {
                console.out(command.help(program: program))
            } else {
                console.out(overview(program: program))
            }
            return .success
        }
        if verb == "--version" { arguments = ["version"] }
        guard let command = commands.first(where: { $0.name == arguments[0] }) else {
            let suggestion = EditDistance.closest(to: verb, in: commands.map { $0.name })
            console.err("\(program): unknown command \"\(verb)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""))
            console.err("Run '\(program) --help' for the list of commands.")
            return .usage
        }
        return run(command, Array(arguments.dropFirst()), program: program, console: console)
    }

    /// Generic over the command so the compiler works with a concrete type, not an existential.
    private static func run<C: Command>(_ command: C.Type, _ arguments: [String], program: String,
                                        console: Console) -> ExitCode {
        let parsed: ParsedArguments
        do {
            parsed = try ParsedArguments(arguments, options: C.options)
        } catch {
            return usageError(error, command: C.name, program: program, console: console)
        }
        if parsed.wantsHelp {
            console.out(C.help(program: program))
            return .success
        }
        if !C.takesArguments, let extra = parsed.positionals.first {
            return usageError(UsageError("unexpected argument \"\(extra)\": \(C.name) takes only options"), command: C.name,
                              program: program, console: console)
        }
        do {
            return try C.run(parsed, console: console)
        } catch let error as UsageError {
            return usageError(error, command: C.name, program: program, console: console)
        } catch {
            console.err("\(program) \(C.name): \(error)")
            return .failure
        }
    }

    private static func usageError(_ error: UsageError, command: String, program: String, console: Console) -> ExitCode {
        console.err("\(program) \(command): \(error.message)")
        console.err("Run '\(program) \(command) --help' for usage.")
        return .usage
    }

    static func overview(program: String) -> String {
        var text = """
            \(program) — Lifeboat's command line: disaster recovery plans for AWS applications.

            Usage:
              \(program) COMMAND [options]

            Commands:

            """
        let width = (commands.map { $0.name.count }.max() ?? 0) + 2
        for command in commands {
            text += "  \(command.name)\(String(repeating: " ", count: width - command.name.count))\(command.summary)\n"
        }
        text += "\nRun '\(program) COMMAND --help' for a command's options. Docs: docs/drctl.md\n"
        return text
    }
}
