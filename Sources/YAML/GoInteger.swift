/// Integer syntax as Go's strconv.ParseInt(s, 0, 64) reads it, which is what go-yaml v2 uses:
/// optional sign, then `0x`/`0o`/`0b` prefixes, a leading `0` for octal (`0777`), else decimal.
enum GoInteger: Equatable {
    case int(Int)
    /// Too big for Int64 but a valid UInt64 (strconv.ParseUint, which takes no sign).
    case unsigned(UInt64)
    case invalid

    static func parse(_ bytes: [UInt8]) -> GoInteger {
        var rest = bytes[...]
        var negative = false
        var signed = false
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            signed = true
            rest = rest.dropFirst()
        }
        var radix: UInt64 = 10
        if rest.count >= 2, rest.first == UInt8(ascii: "0") {
            switch rest[rest.startIndex + 1] | 0x20 {  // lower-cased ASCII
            case UInt8(ascii: "x"): radix = 16; rest = rest.dropFirst(2)
            case UInt8(ascii: "o"): radix = 8; rest = rest.dropFirst(2)
            case UInt8(ascii: "b"): radix = 2; rest = rest.dropFirst(2)
            default: radix = 8; rest = rest.dropFirst()
            }
        }
        guard !rest.isEmpty, let magnitude = magnitude(rest, radix: radix) else { return .invalid }
        if negative {
            if magnitude <= UInt64(Int.max) { return .int(-Int(magnitude)) }
            if magnitude == UInt64(Int.max) + 1 { return .int(Int.min) }
            return .invalid
        }
        if magnitude <= UInt64(Int.max) { return .int(Int(magnitude)) }
        return signed ? .invalid : .unsigned(magnitude)
    }

    private static func magnitude(_ digits: ArraySlice<UInt8>, radix: UInt64) -> UInt64? {
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
