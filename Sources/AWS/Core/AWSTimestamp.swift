#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds since the Unix epoch, UTC, and the two spellings AWS uses: SigV4's basic format
/// (`20150830T123600Z`) and ISO 8601 in credential expirations (`2015-08-30T12:36:00Z`,
/// optionally with fractional seconds or an offset). No DateFormatter: it needs Foundation's ICU.
public enum AWSTimestamp {
    public typealias Seconds = Double

    public static func now() -> Seconds {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// `yyyyMMdd'T'HHmmss'Z'`.
    public static func amzDate(_ time: Seconds) -> String {
        let p = parts(time)
        return pad(p.tm_year + 1900, 4) + pad(p.tm_mon + 1, 2) + pad(p.tm_mday, 2) + "T" + pad(p.tm_hour, 2) + pad(p.tm_min, 2)
            + pad(p.tm_sec, 2) + "Z"
    }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'`.
    public static func iso8601(_ time: Seconds) -> String {
        let p = parts(time)
        return "\(pad(p.tm_year + 1900, 4))-\(pad(p.tm_mon + 1, 2))-\(pad(p.tm_mday, 2))T\(pad(p.tm_hour, 2)):\(pad(p.tm_min, 2)):\(pad(p.tm_sec, 2))Z"
    }

    /// Parses ISO 8601 / RFC 3339 date-times; nil when the text is not one.
    public static func parseISO8601(_ text: String) -> Seconds? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), bytes.count >= 19, bytes[4] == 0x2D, let month = number(5, 2), bytes[7] == 0x2D,
              let day = number(8, 2), bytes[10] == 0x54 || bytes[10] == 0x20 || bytes[10] == 0x74, let hour = number(11, 2),
              bytes[13] == 0x3A, let minute = number(14, 2), bytes[16] == 0x3A, let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == 0x5A || bytes[index] == 0x7A {
            index += 1
        } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
            guard let hours = number(index + 1, 2), index + 3 < bytes.count, bytes[index + 3] == 0x3A,
                  let minutes = number(index + 4, 2) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == 0x2B ? 1 : -1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        return Double(daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm): timegm without touching the C locale.
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func parts(_ time: Seconds) -> tm {
        var seconds = time_t(time.rounded(.down))
        var result = tm()
        gmtime_r(&seconds, &result)
        return result
    }

    private static func pad(_ value: Int32, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
