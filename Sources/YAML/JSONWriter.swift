/// Writes a JSONValue as JSON text: keys in the value's own order, pretty (two-space indent,
/// like `kubectl -o json`) or compact. Non-finite doubles have no JSON spelling and become null.
/// `canonical` (compact, keys sorted) gives one spelling per value, for hashing.
///
/// It writes UTF-8 bytes into one growing buffer: every status write, request body and
/// snapshot hash goes through here, and appending to a `String` scalar by scalar cost several
/// times as much as the bytes themselves.
public enum JSONWriter {
    public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
        String(decoding: bytes(value, pretty: pretty), as: UTF8.self)
    }

    /// The same text as `write`, as the bytes a request body or a file needs.
    public static func bytes(_ value: JSONValue, pretty: Bool = true) -> [UInt8] {
        var output = Output(indentation: pretty, sorted: false)
        output.append(value, depth: 0)
        return output.bytes
    }

    public static func canonical(_ value: JSONValue) -> String {
        var output = Output(indentation: false, sorted: true)
        output.append(value, depth: 0)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    private struct Output {
        let indentation: Bool
        let sorted: Bool
        var bytes: [UInt8] = []

        init(indentation: Bool, sorted: Bool) {
            self.indentation = indentation
            self.sorted = sorted
            bytes.reserveCapacity(512)
        }

        mutating func append(_ value: JSONValue, depth: Int) {
            switch value {
            case .null: append("null")
            case .bool(let b): append(b ? "true" : "false")
            case .int(let i): append(i)
            case .double(let d):
                if !d.isFinite { append("null") }
                else if d == d.rounded() && abs(d) < 1e15 { append(Int(d)); append(".0") }
                else { append(String(d)) }
            case .string(let s): appendString(s)
            case .array(let items):
                guard !items.isEmpty else { append("[]"); return }
                bytes.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    newline(depth + 1)
                    append(item, depth: depth + 1)
                }
                newline(depth)
                bytes.append(UInt8(ascii: "]"))
            case .object(let object):
                guard !object.isEmpty else { append("{}"); return }
                bytes.append(UInt8(ascii: "{"))
                var first = true
                func member(_ key: String, _ value: JSONValue) {
                    if !first { bytes.append(UInt8(ascii: ",")) }
                    first = false
                    newline(depth + 1)
                    appendString(key)
                    append(indentation ? ": " : ":")
                    append(value, depth: depth + 1)
                }
                let keys = object.keys
                if sorted && !zip(keys, keys.dropFirst()).allSatisfy({ $0 < $1 }) {
                    for key in keys.sorted() { member(key, object[key]!) }
                } else {
                    for (key, value) in object { member(key, value) }
                }
                newline(depth)
                bytes.append(UInt8(ascii: "}"))
            }
        }

        mutating func append(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func append(_ text: String) {
            bytes.append(contentsOf: text.utf8)
        }

        /// Decimal digits without an intermediate String.
        mutating func append(_ value: Int) {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                    count += 1
                } while magnitude > 0
                bytes.append(contentsOf: buffer[(20 - count)...])
            }
        }

        mutating func newline(_ depth: Int) {
            guard indentation else { return }
            bytes.append(UInt8(ascii: "\n"))
            for _ in 0..<depth { bytes.append(UInt8(ascii: " ")); bytes.append(UInt8(ascii: " ")) }
        }

        /// A JSON string: runs of bytes that need no escape are copied whole; `"`, `\`, control
        /// characters and DEL are escaped. Bytes of non-ASCII characters (all ≥ 0x80) pass as they are.
        mutating func appendString(_ s: String) {
            bytes.append(UInt8(ascii: "\""))
            var s = s
            s.withUTF8 { utf8 in
                var runStart = 0
                for index in utf8.indices {
                    let byte = utf8[index]
                    guard byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    runStart = index + 1
                    switch byte {
                    case UInt8(ascii: "\""): append("\\\"")
                    case UInt8(ascii: "\\"): append("\\\\")
                    case UInt8(ascii: "\n"): append("\\n")
                    case UInt8(ascii: "\r"): append("\\r")
                    case UInt8(ascii: "\t"): append("\\t")
                    default:
                        let hex: [UInt8] = Array("0123456789abcdef".utf8)
                        append("\\u00")
                        bytes.append(hex[Int(byte >> 4)])
                        bytes.append(hex[Int(byte & 0x0F)])
                    }
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
