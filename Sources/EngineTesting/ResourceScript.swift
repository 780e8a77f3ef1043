import Engine
import LifeboatAPI

/// How a simulated resource behaves: how long its operation takes, how it ends, and the
/// errors it throws on the way. Progress is counted in polls (deterministic, for engine tests)
/// unless `duration` is set and the cloud has a clock (rehearsals with `drctl run --simulate`).
public struct ResourceScript: Sendable, Hashable {
    public enum Ending: Sendable, Hashable {
        case succeed
        case fail(reason: String, code: String?)
    }

    /// `inProgress` answers before the ending.
    public var polls: Int
    public var ending: Ending
    /// Transient errors thrown by `start` before it succeeds.
    public var transientStartErrors: Int
    /// Transient errors thrown by `check` (spread over the polls).
    public var transientCheckErrors: Int
    /// A permanent error from `start` (access denied, say).
    public var permanentStartError: String?
    /// Whether the preflight blocks.
    public var preflightBlocks: Bool
    /// The module's hint for the next poll.
    public var pollHint: GoDuration
    /// With a clock: the operation ends this long after it started, instead of after `polls`.
    public var duration: GoDuration?

    public init(polls: Int = 1, ending: Ending = .succeed, transientStartErrors: Int = 0, transientCheckErrors: Int = 0,
                permanentStartError: String? = nil, preflightBlocks: Bool = false, pollHint: GoDuration = .seconds(5),
                duration: GoDuration? = nil) {
        self.polls = polls
        self.ending = ending
        self.transientStartErrors = transientStartErrors
        self.transientCheckErrors = transientCheckErrors
        self.permanentStartError = permanentStartError
        self.preflightBlocks = preflightBlocks
        self.pollHint = pollHint
        self.duration = duration
    }

    public static let quick = ResourceScript()
}
