import TimeFormats

/// Seconds since the Unix epoch, UTC, and the two spellings AWS uses: SigV4's basic format
/// (`20150830T123600Z`) and ISO 8601 in credential expirations (`2015-08-30T12:36:00Z`,
/// optionally with fractional seconds or an offset). The calendar arithmetic is TimeFormats'
/// `Timestamp` (no DateFormatter: it needs Foundation's ICU).
public enum AWSTimestamp {
    public typealias Seconds = Double

    /// The wall clock (the one `Timestamp.now()` reads), in seconds.
    public static func now() -> Seconds { Double(Timestamp.now().millisecondsSinceEpoch) / 1000 }

    /// `yyyyMMdd'T'HHmmss'Z'`.
    public static func amzDate(_ time: Seconds) -> String {
        String(iso8601(time).filter { $0 != "-" && $0 != ":" })
    }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` (whole seconds).
    public static func iso8601(_ time: Seconds) -> String {
        Timestamp(secondsSinceEpoch: Int64(time.rounded(.down))).description
    }

    /// Parses ISO 8601 / RFC 3339 date-times (millisecond precision); nil when the text is not one.
    public static func parseISO8601(_ text: String) -> Seconds? {
        (try? Timestamp(parsing: text)).map { Double($0.millisecondsSinceEpoch) / 1000 }
    }
}
