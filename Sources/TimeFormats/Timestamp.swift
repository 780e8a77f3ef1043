/// A point in time as Kubernetes writes it: RFC 3339 in UTC, `2026-11-21T22:18:47Z`, with
/// milliseconds only when there are any (`…47.250Z`, as MicroTime-style fields do; the engine
/// schedules polls to the millisecond). Parsing accepts any fraction and offset; encoding is
/// canonical, so two writes of the same status compare equal byte for byte.
///
/// Hand-rolled (civil-date arithmetic) because it needs no calendar, locale or Foundation.
public struct Timestamp: Sendable, Hashable, Comparable, StringCoded {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }
    public init(secondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = secondsSinceEpoch * 1000 }

    /// Whole seconds (rounded down) since the epoch.
    public var secondsSinceEpoch: Int64 {
        millisecondsSinceEpoch >= 0 ? millisecondsSinceEpoch / 1000 : (millisecondsSinceEpoch - 999) / 1000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }
    public func adding(seconds: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + seconds * 1000) }
    public func adding(_ duration: GoDuration) -> Timestamp { Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + duration.milliseconds) }
    public func adding(milliseconds: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + milliseconds) }
    public func milliseconds(since other: Timestamp) -> Int64 { millisecondsSinceEpoch - other.millisecondsSinceEpoch }
    public func seconds(since other: Timestamp) -> Int64 { milliseconds(since: other) / 1000 }
    /// Truncated to whole seconds, for fields people read (condition transitions).
    public var wholeSeconds: Timestamp { Timestamp(secondsSinceEpoch: secondsSinceEpoch) }

    public struct ParseError: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "invalid timestamp \"\(text)\": write RFC 3339, e.g. 2026-11-21T22:18:47Z" }
    }

    public init(parsing text: String) throws(ParseError) {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for b in bytes[range] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
        guard let year = digits(0..<4), byte(4) == UInt8(ascii: "-"), let month = digits(5..<7),
              byte(7) == UInt8(ascii: "-"), let day = digits(8..<10),
              byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t") || byte(10) == UInt8(ascii: " "),
              let hour = digits(11..<13), byte(13) == UInt8(ascii: ":"), let minute = digits(14..<16),
              byte(16) == UInt8(ascii: ":"), let second = digits(17..<19),
              (1...12).contains(month), (1...Timestamp.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61
        else { throw ParseError(text: text) }
        var i = 19
        var milliseconds = 0
        if byte(i) == UInt8(ascii: ".") {
            i += 1
            let start = i
            while let b = byte(i), b >= 48, b <= 57 {
                if i - start < 3 { milliseconds = milliseconds * 10 + Int(b - 48) }
                i += 1
            }
            guard i > start else { throw ParseError(text: text) }
            for _ in min(i - start, 3)..<3 { milliseconds *= 10 }
        }
        var offset = 0
        switch byte(i) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let oh = digits(i + 1..<i + 3), byte(i + 3) == UInt8(ascii: ":"), let om = digits(i + 4..<i + 6)
            else { throw ParseError(text: text) }
            offset = (oh * 3600 + om * 60) * (byte(i) == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            throw ParseError(text: text)
        }
        guard i == bytes.count else { throw ParseError(text: text) }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        millisecondsSinceEpoch = seconds * 1000 + Int64(milliseconds)
    }

    public var description: String {
        let secondsSinceEpoch = self.secondsSinceEpoch
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let secondsOfDay = secondsSinceEpoch - days * 86_400
        let (y, m, d) = Timestamp.civilFromDays(days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let millis = millisecondsSinceEpoch - secondsSinceEpoch * 1000
        let fraction = millis == 0 ? "" : ".\(pad(millis, 3))"
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay % 3600 / 60, 2)):\(pad(secondsOfDay % 60, 2))\(fraction)Z"
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
