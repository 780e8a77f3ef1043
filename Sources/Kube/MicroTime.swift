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

    /// Seconds since the epoch of a MicroTime (or any `YYYY-MM-DDTHH:MM:SS[.frac]Z` UTC time);
    /// nil when the text is not one.
    public static func parse(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).map(String.init)
        guard text.hasSuffix("Z"), parts.count == 6, let year = Int32(parts[0]), let month = Int32(parts[1]),
              let day = Int32(parts[2]), let hour = Int32(parts[3]), let minute = Int32(parts[4]),
              let second = Double(parts[5]) else { return nil }
        var fields = tm()
        fields.tm_year = year - 1900
        fields.tm_mon = month - 1
        fields.tm_mday = day
        fields.tm_hour = hour
        fields.tm_min = minute
        fields.tm_sec = 0
        let whole = timegm(&fields)
        return whole < 0 ? nil : Double(whole) + second
    }
}
