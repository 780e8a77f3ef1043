/// Recognises the timestamp spellings go-yaml v2 accepts (its allowedTimestampFormats):
/// `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00` (or lower-case `t`) and
/// `2006-1-2 15:4:5.999999999`. Lifeboat keeps these as text, but must know them: kubectl
/// rewrites them, so the encoder quotes them and `!!timestamp` is checked against them.
enum Timestamp {
    static func matches(_ text: String) -> Bool { matches(Array(text.utf8)) }

    static func matches(_ bytes: [UInt8]) -> Bool {
        var scanner = Scanner(bytes: bytes)
        guard let year = scanner.number(minDigits: 4, maxDigits: 4), scanner.take("-"),
              let month = scanner.number(minDigits: 1, maxDigits: 2), scanner.take("-"),
              let day = scanner.number(minDigits: 1, maxDigits: 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return false }
        if scanner.atEnd { return true }
        let separator = scanner.next()
        let zoned = separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
        guard zoned || separator == UInt8(ascii: " "),
              let hour = scanner.number(minDigits: 1, maxDigits: 2), hour < 24, scanner.take(":"),
              let minute = scanner.number(minDigits: 1, maxDigits: 2), minute < 60, scanner.take(":"),
              let second = scanner.number(minDigits: 1, maxDigits: 2), second < 60
        else { return false }
        if scanner.peek == UInt8(ascii: "."), scanner.peek(1).map(Scanner.isDigit) == true {
            scanner.skip()
            _ = scanner.number(minDigits: 1, maxDigits: Int.max)
        }
        if !zoned { return scanner.atEnd }
        if scanner.take("Z") { return scanner.atEnd }
        guard scanner.take("+") || scanner.take("-"),
              scanner.number(minDigits: 2, maxDigits: 2) != nil, scanner.take(":"),
              scanner.number(minDigits: 2, maxDigits: 2) != nil
        else { return false }
        return scanner.atEnd
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        mutating func skip() { index += 1 }

        mutating func next() -> UInt8? {
            defer { index += 1 }
            return peek
        }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard peek == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Reads a run of digits of the given length range; values are only needed for short runs.
        mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while let byte = peek, Self.isDigit(byte), count < maxDigits {
                if count < 9 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            return count >= minDigits ? value : nil
        }

        static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    }
}
