import Logging

/// What `drctl run` itself says on standard error — notes, warnings, refusals — besides the
/// run's Events. In text it reads `drctl run: …`; with `--log-format json` (the default without
/// a terminal) each is a JSON log line like the Events', so a log shipper parsing standard
/// error never meets a stray text line.
struct RunDiagnostics {
    let console: Console
    let format: LogFormat
    private let logger: Logger

    init(console: Console, format: LogFormat) {
        self.console = console
        self.format = format
        logger = Logger(sink: FileDescriptorSink(descriptor: 2, format: .json), minimumLevel: .info)
    }

    /// The log format a run's command line asks for: `--log-format`, else text on a terminal
    /// and JSON otherwise. An unsupported value is left for RunRequest to refuse (in text).
    static func format(_ arguments: ParsedArguments) -> LogFormat {
        if let raw = arguments.value("log-format") { return LogFormat(rawValue: raw) ?? .text }
        return Terminal.isTerminal(2) ? .text : .json
    }

    func note(_ message: String) { say(.info, message) }
    func warning(_ message: String) { say(.warning, message) }
    func error(_ message: String, hint: String? = nil) {
        say(.error, message, hint: hint)
    }

    /// Text that is already formatted in lines (a plan's problems, as `drctl validate` prints
    /// them): as is in text, one field of one line in JSON.
    func block(_ message: String, _ text: String) {
        switch format {
        case .text:
            console.err(text)
            say(.error, message)
        case .json:
            logger.error(message, ["details": .string(text)])
        }
    }

    private func say(_ level: Logger.Level, _ message: String, hint: String? = nil) {
        switch format {
        case .text:
            console.err("\(console.program) run: \(level == .warning ? "warning: " : "")\(message)")
            if let hint { console.err(hint) }
        case .json:
            if let hint { logger.log(level, message, ["hint": .string(hint)]) } else { logger.log(level, message) }
        }
    }
}
