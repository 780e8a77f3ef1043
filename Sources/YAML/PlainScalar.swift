/// What an untagged plain scalar means, decided the way kubectl decides it: sigs.k8s.io/yaml
/// reads manifests with go-yaml v2, which follows YAML 1.1 (so `yes`, `on` and `0777` are not
/// text). Mirrors go-yaml v2's resolve.go, including its order of attempts.
enum PlainScalar: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    /// Looks like a YAML timestamp. Lifeboat keeps the text, but kubectl would convert it, so the
    /// encoder must quote such strings.
    case timestamp
    case string

    static func resolve(_ text: String) -> PlainScalar {
        // Like go-yaml, decide by the first byte before doing any work: most text starts with
        // a letter that cannot begin anything but a string.
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
             UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
             UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let fixed = table[text] { return fixed }
        default:
            return .string
        }
        let utf8 = Array(text.utf8)
        switch first {
        case UInt8(ascii: "."):
            // go-yaml hands these to strconv.ParseFloat unchanged: `.5`, `.5e3`.
            return FloatSyntax.isDotFloat(utf8) ? finiteFloat(text) : .string
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            if Timestamp.matches(utf8) { return .timestamp }
            // go-yaml v2 drops every underscore before reading numbers: `1_000` is 1000.
            let plain = utf8.filter { $0 != UInt8(ascii: "_") }
            switch GoInteger.parse(plain) {
            case .int(let value): return .int(value)
            // Beyond Int64 but within UInt64: JSONValue has no unsigned case, so keep it as a
            // number the only way it can be kept.
            case .unsigned(let value): return .float(Double(value))
            case .invalid: break
            }
            if FloatSyntax.isYAMLFloat(plain) {
                return finiteFloat(String(decoding: plain, as: UTF8.self))
            }
            return .string
        default:
            return .string
        }
    }

    /// strconv.ParseFloat reports overflow as an error, and go-yaml then keeps the text.
    private static func finiteFloat(_ text: String) -> PlainScalar {
        guard let value = Double(text), value.isFinite else { return .string }
        return .float(value)
    }

    /// go-yaml v2's resolve map. The YAML 1.1 booleans are the surprise for most people.
    private static let table: [String: PlainScalar] = {
        var table: [String: PlainScalar] = [:]
        for word in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { table[word] = .bool(true) }
        for word in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { table[word] = .bool(false) }
        for word in ["", "~", "null", "Null", "NULL"] { table[word] = .null }
        for word in [".nan", ".NaN", ".NAN"] { table[word] = .float(.nan) }
        for word in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { table[word] = .float(.infinity) }
        for word in ["-.inf", "-.Inf", "-.INF"] { table[word] = .float(-.infinity) }
        return table
    }()
}

/// Float spellings accepted by go-yaml v2.
enum FloatSyntax {
    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml's yamlStyleFloat.
    static func isYAMLFloat(_ bytes: [UInt8]) -> Bool {
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(bytes, &i) > 0 else { return false }
        } else {
            guard digits(bytes, &i) > 0 else { return false }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                _ = digits(bytes, &i)
            }
        }
        return exponent(bytes, &i) && i == bytes.count
    }

    /// What strconv.ParseFloat accepts for a string that starts with a dot.
    static func isDotFloat(_ bytes: [UInt8]) -> Bool {
        var i = 1
        guard bytes.first == UInt8(ascii: "."), digits(bytes, &i) > 0 else { return false }
        return exponent(bytes, &i) && i == bytes.count
    }

    private static func digits(_ bytes: [UInt8], _ i: inout Int) -> Int {
        let start = i
        while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
        return i - start
    }

    /// An optional exponent; false when an `e` is not followed by a valid one.
    private static func exponent(_ bytes: [UInt8], _ i: inout Int) -> Bool {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return true }
        i += 1
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        return digits(bytes, &i) > 0
    }
}
