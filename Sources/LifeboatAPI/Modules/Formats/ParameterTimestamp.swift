/// An instant written in a parameter (EventArchive `StartTime`/`EndTime`), parsed without
/// Foundation so validation stays pure.
///
/// Accepted: RFC 3339 (`2026-11-21T10:00:00Z`, `2026-11-21T12:00:00.5+02:00`) and the enterprise
/// manifests' `2026-11-21 10:00:00`, which their module read as UTC. A `T` form without a zone is
/// refused: whether it meant UTC or local time cannot be known, and a replay window off by hours
/// replays the wrong events.
public struct ParameterTimestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64
    /// The fractional second, in nanoseconds.
    public let nanoseconds: Int

    static let formatHint = "write RFC 3339 such as 2026-11-21T10:00:00Z, or 2026-11-21 10:00:00 (read as UTC)"

    public init?(parsing text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.digits(4), scanner.take("-"),
              let month = scanner.digits(2), scanner.take("-"),
              let day = scanner.digits(2),
              let separator = scanner.next(), [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(separator),
              let hour = scanner.digits(2), scanner.take(":"),
              let minute = scanner.digits(2), scanner.take(":"),
              let second = scanner.digits(2)
        else { return nil }
        var nanoseconds = 0
        if scanner.take(".") {
            var count = 0
            while let digit = scanner.peekDigit() {
                scanner.advance()
                count += 1
                guard count <= 9 else { return nil }
                nanoseconds = nanoseconds * 10 + digit
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanoseconds *= 10 }
        }
        var offsetSeconds = 0
        if scanner.isAtEnd {
            guard separator == UInt8(ascii: " ") else { return nil }
        } else if scanner.take("Z") || scanner.take("z") {
            // UTC
        } else if let sign = scanner.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                  let offsetHour = scanner.digits(2), scanner.take(":"), let offsetMinute = scanner.digits(2),
                  offsetHour < 24, offsetMinute < 60 {
            offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard scanner.isAtEnd, (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        self.secondsSinceEpoch = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: ParameterTimestamp, rhs: ParameterTimestamp) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days-from-civil: exact for the proleptic Gregorian calendar.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { position >= bytes.count }
        mutating func advance() { position += 1 }

        mutating func next() -> UInt8? {
            guard !isAtEnd else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        func peekDigit() -> Int? {
            guard !isAtEnd, (48...57).contains(bytes[position]) else { return nil }
            return Int(bytes[position] - 48)
        }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard !isAtEnd, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        /// Exactly `count` decimal digits.
        mutating func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = peekDigit() else { return nil }
                value = value * 10 + digit
                advance()
            }
            return value
        }
    }
}
