/// Turns a mapping key node into the string key JSON needs, the way sigs.k8s.io/yaml does for
/// kubectl: the key resolves like any scalar, then integers print in decimal (`0x10:` is "16"),
/// booleans as "true"/"false" (so a plain `yes:` or `y:` key is "true"), and floats the way Go
/// prints a float32. A null key or a collection as a key is refused, as kubectl refuses it.
enum MappingKey {
    struct Problem: Error { let message: String }

    static func string(for node: YAMLNode) throws(Problem) -> String {
        guard case .scalar(let text, let style, let tag) = node.kind else {
            throw Problem(message: "\(node.kindDescription) cannot be used as a mapping key; keys must be strings, numbers or booleans")
        }
        let value: JSONValue
        do {
            value = try ScalarResolver.value(of: text, style: style, tag: tag)
        } catch {
            throw Problem(message: error.message)
        }
        switch value {
        case .string(let string): return string
        case .int(let int): return String(int)
        case .bool(let bool): return bool ? "true" : "false"
        case .double(let double): return goFloat32(double)
        default:
            let shown = text.isEmpty ? "an empty key" : "the key \(text)"
            throw Problem(message: "\(shown) reads as null, which kubectl refuses as a mapping key; quote it if you mean the text, e.g. \(YAMLScalarWriter.doubleQuoted(text))")
        }
    }

    /// Go's strconv.FormatFloat(v, 'g', -1, 32) with YAML's spellings for the specials.
    static func goFloat32(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        let single = Float(value)
        if single.isInfinite { return single < 0 ? "-.inf" : ".inf" }
        // Swift's description is the shortest round-tripping digit string; re-lay it out as %g.
        var text = single.magnitude.description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts.first.map(String.init) ?? "0"
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(integer + fraction)
        var pointPosition = integer.count + exponent   // decimal point after this many digits
        while digits.first == "0" { digits.removeFirst(); pointPosition -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let sign = single.sign == .minus ? "-" : ""
        guard !digits.isEmpty else { return sign + "0" }
        let decimalExponent = pointPosition - 1
        if decimalExponent < -4 || decimalExponent >= 6 {
            var mantissa = String(digits[0])
            if digits.count > 1 { mantissa += "." + String(digits[1...]) }
            let magnitude = abs(decimalExponent)
            return sign + mantissa + (decimalExponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + String(digits)
        }
        if pointPosition >= digits.count {
            return sign + String(digits) + String(repeating: "0", count: pointPosition - digits.count)
        }
        return sign + String(digits[..<pointPosition]) + "." + String(digits[pointPosition...])
    }
}
