/// Seconds since the process started, on the monotonic clock: the time base the pure timing
/// types (TokenBucket, Backoff, rate limiters) are fed in production.
enum Monotonic {
    private static let start = ContinuousClock.now
    static var now: Double { seconds(ContinuousClock.now - start) }
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
