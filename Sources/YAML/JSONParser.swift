/// A small, strict JSON parser (RFC 8259) over bytes, producing `JSONValue`, for JSON that
/// comes off the wire (AWS JSON protocols, Kubernetes API bodies): going through the YAML
/// reader would cost more and read some values differently.
/// Integers that fit `Int` stay integers; others become doubles. Depth is bounded so hostile
/// input cannot overflow the stack.
public struct JSONParser {
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    private static let maxDepth = 512
    /// The members and elements of the objects and arrays being read, innermost last: each is
    /// built once at its full size instead of growing (and rehashing) key by key.
    private var memberKeys: [String] = []
    private var memberValues: [JSONValue] = []
    private var elements: [JSONValue] = []
    /// See `parse(_:omitting:under:)`.
    private let omitted: (member: String, parent: String)?
    /// The next object read is the value of a member named `omitted.parent`.
    private var nextIsParent = false
    /// Inside an omitted member's value: read and checked as everywhere, but nothing is built.
    private var discarding = 0

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        try parse(bytes, omitted: nil)
    }

    /// The value without the members named `member` of the objects that are the value of a
    /// member named `parent` (anywhere in the document): a Kubernetes client that never reads
    /// `metadata.managedFields` need not build them, and they are often most of an object. The
    /// left-out values are still read and checked: the input is refused exactly where `parse(_:)`
    /// would refuse it.
    public static func parse(_ bytes: [UInt8], omitting member: String, under parent: String) throws(Failure) -> JSONValue {
        try parse(bytes, omitted: (member, parent))
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue { try parse(Array(text.utf8)) }

    private static func parse(_ bytes: [UInt8], omitted: (member: String, parent: String)?) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (bytes) throws(Failure) -> JSONValue in
            var parser = JSONParser(bytes: bytes, omitted: omitted)
            parser.skipWhitespace()
            let value = try parser.value()
            parser.skipWhitespace()
            guard parser.index == bytes.count else { throw parser.failure("unexpected text after the value") }
            return value
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, omitted: (member: String, parent: String)?) {
        self.bytes = bytes
        self.omitted = omitted
    }

    private func failure(_ message: String) -> Failure { Failure(offset: index, message: message) }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw failure("unexpected character")
        }
        index += count
    }

    private mutating func object() throws(Failure) -> JSONValue {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
        defer { depth -= 1 }
        index += 1
        let isParent = nextIsParent
        nextIsParent = false
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(JSONObject()) }
        let first = memberKeys.count
        // A failure abandons the whole parse, so only success needs to give the members back.
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            let omits = isParent && key == omitted?.member
            if omits { discarding += 1 }
            nextIsParent = !omits && key == omitted?.parent
            let value = try value()
            nextIsParent = false
            if omits { discarding -= 1 } else if discarding == 0 {
                memberKeys.append(key)
                memberValues.append(value)
            }
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                if discarding > 0 { return .null }
                let object = JSONObject(keys: memberKeys[first...], values: memberValues[first...])
                memberKeys.removeSubrange(first...)
                memberValues.removeSubrange(first...)
                return .object(object)
            }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array([]) }
        let first = elements.count
        while true {
            skipWhitespace()
            let value = try value()
            if discarding == 0 { elements.append(value) }
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                if discarding > 0 { return .null }
                let items = Array(elements[first...])
                elements.removeSubrange(first...)
                return .array(items)
            }
            throw failure("expected ',' or ']'")
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        var bits: UInt8 = 0  // every byte or-ed together: below 0x80 when they are all ASCII
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            bits |= byte
            end += 1
        }
        index = end
        if bits < 0x80, index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            // ASCII is valid UTF-8 as it stands (and the usual case): nothing to check.
            defer { index += 1 }
            return discarding > 0 ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }
        var scalars = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; break }
            guard byte >= 0x20 else { throw failure("control character in a string") }
            if byte != UInt8(ascii: "\\") { scalars.append(byte); index += 1; continue }
            index += 1
            guard index < bytes.count else { throw failure("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append(0x22)
            case UInt8(ascii: "\\"): scalars.append(0x5C)
            case UInt8(ascii: "/"): scalars.append(0x2F)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                   bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw failure("invalid escape")
            }
        }
        // Decoding repairs what is not UTF-8, so the bytes come back unchanged exactly when they
        // were valid: String(validating:) in effect, without its generic validation's cost.
        let text = String(decoding: scalars, as: UTF8.self)
        guard text.utf8.elementsEqual(scalars) else { throw failure("string is not valid UTF-8") }
        return text
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw failure("unexpected character")
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): index += 1
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                isInteger = false
                index += 1
            default:
                return try numberValue(start, isInteger)
            }
        }
        return try numberValue(start, isInteger)
    }

    private func numberValue(_ start: Int, _ isInteger: Bool) throws(Failure) -> JSONValue {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let int = Int(text) { return .int(int) }
        guard let double = Double(text) else { throw Failure(offset: start, message: "invalid number \"\(text)\"") }
        return .double(double)
    }
}
