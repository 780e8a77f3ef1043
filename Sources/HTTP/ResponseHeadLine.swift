/// One line of a response head, as libcurl hands it to the header callback (line end included),
/// read on its bytes: building and walking a String per line cost more than the rest of a
/// request's handling. Names and values are decoded as UTF-8 (anything else becomes U+FFFD).
enum ResponseHeadLine: Equatable {
    /// `HTTP/1.1 200 OK`: a new response begins (an interim 1xx, or the next one after it); the
    /// code is the line's second word, 0 when that is not a number.
    case status(Int)
    /// The blank line that ends a head.
    case end
    /// `name: value`, split at the first colon, blanks before the value dropped.
    case field(name: String, value: String)
    /// Anything else (no colon): ignored.
    case other

    init(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self) }
        if line.starts(with: "HTTP/".utf8) {
            var start = 0  // words are separated by runs of spaces
            while start < end, line[start] != UInt8(ascii: " ") { start += 1 }
            while start < end, line[start] == UInt8(ascii: " ") { start += 1 }
            var stop = start
            while stop < end, line[stop] != UInt8(ascii: " ") { stop += 1 }
            self = .status(Int(text(start..<stop)) ?? 0)
        } else if line.isEmpty {
            self = .end
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            var start = colon + 1
            while start < end, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
            self = .field(name: text(0..<colon), value: text(start..<end))
        } else {
            self = .other
        }
    }
}
