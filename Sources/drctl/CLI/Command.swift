/// How a drctl run ends (documented in docs/drctl.md; scripts rely on them).
enum ExitCode: Int32 {
    case success = 0
    /// Invalid input, a failed run.
    case failure = 1
    /// A mistake on the command line.
    case usage = 2
    /// A run that was cancelled.
    case cancelled = 3
}

/// One drctl verb. Help text is generated from these fields, so it can't drift from the options
/// the command really accepts.
protocol Command {
    static var name: String { get }
    static var summary: String { get }
    static var synopsis: String { get }
    static var details: String { get }
    static var options: [OptionSpec] { get }
    /// Whether the command takes positional arguments (files, gates, a source format). One that
    /// does not refuses them: an argument silently ignored is a request silently dropped.
    static var takesArguments: Bool { get }
    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode
}

extension Command {
    static var takesArguments: Bool { false }

    static func help(program: String) -> String {
        var text = "\(summary)\n\nUsage:\n  \(program) \(synopsis)\n"
        if !details.isEmpty { text += "\n\(details)\n" }
        let all = options + [.help]
        text += "\nOptions:\n"
        let rendered = all.map { option -> (String, String) in
            var left = option.short.map { "-\($0), " } ?? "    "
            left += "--\(option.long)"
            if option.takesValue { left += " \(option.valueName)" }
            return (left, option.help + (option.repeatable ? " (repeatable)" : ""))
        }
        let width = (rendered.map(\.0.count).max() ?? 0) + 2
        for (left, right) in rendered {
            text += "  " + left + String(repeating: " ", count: width - left.count) + right + "\n"
        }
        return text
    }
}

/// `-o text|json|yaml`, shared by the commands that print results.
enum OutputFormat: String, CaseIterable {
    case text, json, yaml

    static let option = OptionSpec.value("output", short: "o", name: "FORMAT", help: "Output format: text, json or yaml.")

    init(_ arguments: ParsedArguments, default defaultFormat: OutputFormat = .text) throws(UsageError) {
        guard let raw = arguments.value("output") else { self = defaultFormat; return }
        guard let format = OutputFormat(rawValue: raw) else {
            throw UsageError("unsupported output format \"\(raw)\": use text, json or yaml")
        }
        self = format
    }
}
