import Foundation

/// Kubernetes `MicroTime`: RFC 3339 in UTC with exactly six fractional digits, as Leases and
/// events.k8s.io Events require (`2026-11-21T10:00:00.000000Z`).
public enum MicroTime {
    /// The wall clock now. Only for stamping objects: intervals use the monotonic clock.
    public static func now() -> String { format(unixSeconds: Date().timeIntervalSince1970) }

    public static func format(unixSeconds: Double) -> String {
        let whole = unixSeconds.rounded(.down)
        var seconds = time_t(whole)
        let micros = min(999_999, Int(((unixSeconds - whole) * 1_000_000).rounded()))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(micros, 6))Z"
    }
}
