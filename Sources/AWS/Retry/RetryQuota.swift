import Synchronization

/// The standard mode's token bucket: 500 tokens; a retry takes 5 (10 after a timeout), a
/// success gives back what its retries took, or 1 token when it needed none. An outage thus
/// stops retries quickly instead of multiplying the load on a struggling service.
public final class RetryQuota: Sendable {
    public static let capacity = 500
    public static let retryCost = 5
    public static let timeoutRetryCost = 10

    private let tokens = Mutex(RetryQuota.capacity)

    public init() {}

    public var available: Int { tokens.withLock { $0 } }

    /// Takes the cost of one retry; false when the bucket cannot pay for it.
    func acquire(_ cost: Int) -> Bool {
        tokens.withLock { tokens in
            guard tokens >= cost else { return false }
            tokens -= cost
            return true
        }
    }

    /// After a successful attempt: refund what the retries took, or one token for a first-try success.
    func succeeded(refund: Int) {
        tokens.withLock { $0 = min(Self.capacity, $0 + (refund > 0 ? refund : 1)) }
    }
}
