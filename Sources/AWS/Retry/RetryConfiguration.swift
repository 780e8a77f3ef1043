/// The SDKs' "standard" retry mode: up to `maxAttempts` attempts (3 by default), exponential
/// backoff with full jitter — a delay drawn uniformly from [0, min(maxBackoff, base × 2^n)) —
/// and a retry quota shared by the client (`RetryQuota`).
///
/// Sleeping and randomness are injected so tests run retries without waiting in real time.
public struct RetryConfiguration: Sendable {
    public var maxAttempts: Int
    /// Attempts of a call whose endpoint gave no answer at all (a timeout): two, because one
    /// silent endpoint is most likely dead, and every further wait would delay a DR run by a
    /// whole request timeout. Never more than `maxAttempts`.
    public var timeoutAttempts: Int
    public var baseDelay: Double
    public var maxBackoff: Double
    public var sleep: @Sendable (Double) async throws -> Void
    public var random: @Sendable () -> Double

    public init(maxAttempts: Int = 3, timeoutAttempts: Int = 2, baseDelay: Double = 1, maxBackoff: Double = 20,
                sleep: @escaping @Sendable (Double) async throws -> Void = RetryConfiguration.taskSleep,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.timeoutAttempts = max(1, timeoutAttempts)
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.sleep = sleep
        self.random = random
    }

    /// The delay before retry number `retry` (0 for the first retry).
    public func delay(beforeRetry retry: Int) -> Double {
        random() * min(maxBackoff, baseDelay * Double(1 << min(retry, 30)))
    }

    public static let taskSleep: @Sendable (Double) async throws -> Void = { seconds in
        try await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded())))
    }
}
