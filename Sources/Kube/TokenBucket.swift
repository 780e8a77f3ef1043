/// A token bucket (Go's `rate.Limiter` reservations): `rate` tokens per second, at most `burst`
/// saved up. `reserve` always succeeds and says how long to wait, so concurrent callers queue
/// in order without polling. Pure: time is passed in (seconds on any monotonic scale), so tests
/// drive it with a fake clock.
public struct TokenBucket: Sendable {
    public let rate: Double
    public let burst: Int
    private var tokens: Double
    private var last: Double?

    public init(rate: Double, burst: Int) {
        precondition(rate > 0 && burst > 0, "a token bucket needs a positive rate and burst")
        self.rate = rate
        self.burst = burst
        self.tokens = Double(burst)
    }

    /// Takes one token at `now` and returns the seconds to wait before using it (0 if available).
    public mutating func reserve(now: Double) -> Double {
        refill(now: now)
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / rate
    }

    /// Takes a token if one is there now (a spam filter drops instead of waiting).
    public mutating func take(now: Double) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// True when the bucket has refilled completely, so forgetting it changes nothing.
    public mutating func isFull(now: Double) -> Bool {
        refill(now: now)
        return tokens >= Double(burst)
    }

    private mutating func refill(now: Double) {
        if let last, now > last { tokens = min(Double(burst), tokens + (now - last) * rate) }
        last = max(last ?? now, now)
    }
}

/// An async front for a `TokenBucket`: `acquire()` waits (with `Task.sleep`, no polling) until the
/// caller may go. Shared by every request of one client. A QPS of 0 (or less) means no
/// client-side limit: the API server's own priority and fairness still applies.
public actor RateLimiter {
    private var bucket: TokenBucket?
    private let start = ContinuousClock.now

    public init(qps: Double, burst: Int) {
        bucket = qps > 0 ? TokenBucket(rate: qps, burst: max(1, burst)) : nil
    }

    public func acquire() async throws {
        guard bucket != nil else { return }
        let elapsed = ContinuousClock.now - start
        let now = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let wait = bucket!.reserve(now: now)
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
    }
}
