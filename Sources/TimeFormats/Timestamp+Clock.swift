#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Timestamp {
    /// The wall clock now, to the millisecond: for stamping objects and status. Intervals use a
    /// monotonic clock instead.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// Kubernetes `MicroTime` spelling: exactly six fractional digits, as Leases and
    /// events.k8s.io Events require (`2026-11-21T10:00:00.500000Z`).
    public var microTime: String {
        let text = wholeSeconds.description   // …:SSZ
        let millis = millisecondsSinceEpoch - wholeSeconds.millisecondsSinceEpoch
        let fraction = String(millis)
        return String(text.dropLast()) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "000Z"
    }
}
