import Kube

/// Exponential backoff with jitter, as client-go's `wait.Backoff` used by the reflector:
/// `initial·factor^n` capped at `max`, each wait stretched by up to `jitter`×; reset after a
/// quiet period. Pure: the random source and the clock are passed in.
public struct Backoff: Sendable {
    public var initial: Double
    public var max: Double
    public var factor: Double
    public var jitter: Double
    /// Seconds without a failure after which the next failure starts from `initial` again.
    public var resetAfter: Double
    private var current: Double?
    private var lastFailure: Double?

    public init(initial: Double = 0.8, max: Double = 30, factor: Double = 2, jitter: Double = 1.0, resetAfter: Double = 120) {
        self.initial = initial
        self.max = max
        self.factor = factor
        self.jitter = jitter
        self.resetAfter = resetAfter
    }

    /// The reflector's backoff: 800 ms…30 s, ×2, jitter 1.0, reset after 2 min.
    public static let reflector = Backoff()

    /// The next wait in seconds. `random` is in [0, 1).
    public mutating func next(now: Double, random: Double) -> Double {
        if let lastFailure, now - lastFailure > resetAfter { current = nil }
        lastFailure = now
        let base = current.map { Swift.min(max, $0 * factor) } ?? initial
        current = base
        return base + base * jitter * random
    }

    public mutating func reset() { current = nil }
}

/// client-go's `DefaultControllerRateLimiter`: the larger of a per-item exponential backoff
/// (5 ms·2^n, capped at 1000 s) and an overall token bucket (10 qps, burst 100). `forget`
/// resets an item once it succeeds. Pure, with time passed in.
public struct ControllerRateLimiter<Key: Hashable & Sendable>: Sendable {
    public var baseDelay: Double
    public var maxDelay: Double
    private var failures: [Key: Int] = [:]
    private var bucket: TokenBucket?

    public init(baseDelay: Double = 0.005, maxDelay: Double = 1000, qps: Double? = 10, burst: Int = 100) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.bucket = qps.map { TokenBucket(rate: $0, burst: burst) }
    }

    /// Seconds to wait before retrying `item` at time `now`, counting this as one more failure.
    public mutating func when(_ item: Key, now: Double) -> Double {
        let n = failures[item, default: 0]
        failures[item] = n + 1
        let exponential = Swift.min(maxDelay, baseDelay * pow2(n))
        let overall = bucket?.reserve(now: now) ?? 0
        return Swift.max(exponential, overall)
    }

    public mutating func forget(_ item: Key) { failures[item] = nil }
    public func retries(_ item: Key) -> Int { failures[item, default: 0] }

    private func pow2(_ n: Int) -> Double { n >= 1023 ? .infinity : Double(sign: .plus, exponent: n, significand: 1) }
}

