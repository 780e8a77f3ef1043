import LifeboatAPI
import YAML

/// What every technology module implements (MODULES.md "The contract every module meets").
///
/// Modules are constructed with what they need to reach AWS (the Modules layer wires that); the
/// context carries only the facts of one call. Every method may be called again after a crash or
/// a transient error, so each must be idempotent: `start` reads the current AWS state first and
/// adopts an operation already under way instead of starting another.
public protocol DRModule: Sendable {
    /// Phases, default timeout, drill default and static parameter validation.
    var descriptor: ModuleDescriptor { get }

    /// Read-only: does everything exist, is it in a state this phase can start from, is
    /// replication healthy. Used by `drill: Validate` and by DRPlan readiness.
    func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport

    /// Starts (or adopts) the phase's operation and returns a small checkpoint to poll with.
    func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult

    /// Polls the operation described by the checkpoint.
    func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult
}

/// What `start` returns: the checkpoint written to status, and a note for people (for example
/// "adopted job drsjob-123 already under way").
public struct StartResult: Sendable, Hashable {
    public var checkpoint: JSONValue
    public var message: String?

    public init(checkpoint: JSONValue, message: String? = nil) {
        self.checkpoint = checkpoint
        self.message = message
    }
}

/// The answer of a poll. Every module's check can fail: an unexpected terminal AWS state is
/// `failed`, never "done".
public enum CheckResult: Sendable, Hashable {
    /// Still running; `nextPoll` is the module's hint for when to look again. A `checkpoint`
    /// replaces the one in status (a module records what the poll learned, such as per-server
    /// results or the jobs of later batches); nil keeps it.
    case inProgress(message: String, nextPoll: GoDuration? = nil, checkpoint: JSONValue? = nil)
    /// Done; a `checkpoint` records the final results in status (nil keeps the last one).
    case succeeded(message: String, checkpoint: JSONValue? = nil)
    /// Finished badly. `code` is the AWS (or module) error code, shown in Events.
    case failed(reason: String, code: String? = nil)
}

/// A failed call to AWS (or a module's own refusal), classified so the engine knows whether to
/// try again.
public struct ModuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Throttling, 5xx, timeouts, connection errors: retried with backoff until the deadline.
        case transient
        /// Access denied, not found, invalid parameter, a refused data-losing action: the
        /// resource fails at once.
        case permanent
    }

    public var kind: Kind
    public var code: String?
    public var message: String

    public init(_ kind: Kind, code: String? = nil, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public static func transient(_ message: String, code: String? = nil) -> ModuleError { ModuleError(.transient, code: code, message) }
    public static func permanent(_ message: String, code: String? = nil) -> ModuleError { ModuleError(.permanent, code: code, message) }

    public var description: String { code.map { "\($0): \(message)" } ?? message }
}

/// The findings of a read-only preflight.
public struct PreflightReport: Sendable, Hashable {
    public struct Finding: Sendable, Hashable {
        public enum Severity: String, Sendable, Hashable { case ok, warning, blocking }
        public var severity: Severity
        public var message: String

        public init(_ severity: Severity, _ message: String) {
            self.severity = severity
            self.message = message
        }
    }

    public var findings: [Finding]

    public init(findings: [Finding]) { self.findings = findings }

    /// Ready unless something blocks.
    public var passed: Bool { !findings.contains { $0.severity == .blocking } }

    /// One line for status: the blocking findings if any, otherwise a summary.
    public var summary: String {
        let blocking = findings.filter { $0.severity == .blocking }.map(\.message)
        if !blocking.isEmpty { return blocking.joined(separator: "; ") }
        let warnings = findings.filter { $0.severity == .warning }.map(\.message)
        let base = "preflight passed (\(findings.count) check\(findings.count == 1 ? "" : "s"))"
        return warnings.isEmpty ? base : base + "; warnings: " + warnings.joined(separator: "; ")
    }
}
