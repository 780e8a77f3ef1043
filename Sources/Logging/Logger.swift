/// Structured logging: one JSON object per line by default, `--log-format text` for people.
///
/// A Logger is a value: `logger.with(["resource": "orders-db"])` returns a logger that adds those
/// fields to every line, so context travels with the code that logs instead of being repeated.
/// Values are redacted by field name (secrets, tokens, credentials) before they are written.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var description: String { ["debug", "info", "warning", "error"][rawValue] }
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
            self = level
        }
    }

    public let sink: any LogSink
    public let minimumLevel: Level
    public let fields: [(String, LogValue)]

    public init(sink: any LogSink, minimumLevel: Level = .info, fields: [(String, LogValue)] = []) {
        self.sink = sink
        self.minimumLevel = minimumLevel
        self.fields = fields
    }

    /// A logger that writes nothing (tests, library defaults).
    public static let disabled = Logger(sink: DiscardingSink(), minimumLevel: .error)

    public func with(_ extra: KeyValuePairs<String, LogValue>) -> Logger {
        Logger(sink: sink, minimumLevel: minimumLevel, fields: fields + extra.map { ($0.key, $0.value) })
    }

    /// Fields built at run time (some present only sometimes).
    public func with(fields extra: [(String, LogValue)]) -> Logger {
        Logger(sink: sink, minimumLevel: minimumLevel, fields: fields + extra)
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String, _ extra: KeyValuePairs<String, LogValue> = [:]) {
        guard level >= minimumLevel else { return }
        sink.write(LogRecord(level: level, message: message(), fields: fields + extra.map { ($0.key, $0.value) }))
    }

    public func debug(_ message: @autoclosure () -> String, _ extra: KeyValuePairs<String, LogValue> = [:]) { log(.debug, message(), extra) }
    public func info(_ message: @autoclosure () -> String, _ extra: KeyValuePairs<String, LogValue> = [:]) { log(.info, message(), extra) }
    public func warning(_ message: @autoclosure () -> String, _ extra: KeyValuePairs<String, LogValue> = [:]) { log(.warning, message(), extra) }
    public func error(_ message: @autoclosure () -> String, _ extra: KeyValuePairs<String, LogValue> = [:]) { log(.error, message(), extra) }
}

/// A field value. Only these shapes are logged, so nothing unexpected (a whole credential
/// struct, say) can be dumped into a log line by accident.
public enum LogValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral, CustomStringConvertible
{
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }

    public var description: String {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        }
    }
}

public struct LogRecord: Sendable {
    public let level: Logger.Level
    public let message: String
    public let fields: [(String, LogValue)]
}

/// Where log records go.
public protocol LogSink: Sendable {
    func write(_ record: LogRecord)
}

struct DiscardingSink: LogSink {
    func write(_ record: LogRecord) {}
}
