/// Kubernetes `MicroTime` for the string fields of Leases and Events, spelled by the one time
/// type, `Timestamp` (to the millisecond, which is all a lease or an event series needs).
public enum MicroTime {
    /// The wall clock now. Only for stamping objects: intervals use the monotonic clock.
    public static func now() -> String { Timestamp.now().microTime }

    public static func format(unixSeconds: Double) -> String {
        Timestamp(millisecondsSinceEpoch: Int64((unixSeconds * 1000).rounded())).microTime
    }

    /// Seconds since the epoch of a MicroTime (or any RFC 3339 time); nil when the text is not one.
    public static func parse(_ text: String) -> Double? {
        (try? Timestamp(parsing: text)).map { Double($0.millisecondsSinceEpoch) / 1000 }
    }
}
