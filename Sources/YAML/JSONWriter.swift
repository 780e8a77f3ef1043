/// Writes a JSONValue as JSON text: keys in the value's own order, pretty (two-space indent,
/// like `kubectl -o json`) or compact. Non-finite doubles have no JSON spelling and become null.
/// `canonical` (compact, keys sorted) gives one spelling per value, for hashing.
public enum JSONWriter {
    public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        append(value, to: &out, indent: pretty ? 0 : nil, sorted: false)
        return out
    }

    public static func canonical(_ value: JSONValue) -> String {
        var out = ""
        append(value, to: &out, indent: nil, sorted: true)
        return out
    }

    private static func append(_ value: JSONValue, to out: inout String, indent: Int?, sorted: Bool) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) + ".0" : String(d)) : "null"
        case .string(let s): appendString(s, to: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent.map { $0 + 1 })
                append(item, to: &out, indent: indent.map { $0 + 1 }, sorted: sorted)
            }
            newline(&out, indent)
            out += "]"
        case .object(let object):
            guard !object.isEmpty else { out += "{}"; return }
            out += "{"
            let keys = sorted ? object.keys.sorted() : object.keys
            for (i, key) in keys.enumerated() {
                let item = object[key] ?? .null
                if i > 0 { out += "," }
                newline(&out, indent.map { $0 + 1 })
                appendString(key, to: &out)
                out += indent == nil ? ":" : ": "
                append(item, to: &out, indent: indent.map { $0 + 1 }, sorted: sorted)
            }
            newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    private static func appendString(_ s: String, to out: inout String) {
        out += "\""
        // Bytes below 0x80 are exactly the ASCII scalars, so a string with none of the ones
        // below needing an escape goes out as it is, without a scalar-by-scalar copy.
        if !s.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
