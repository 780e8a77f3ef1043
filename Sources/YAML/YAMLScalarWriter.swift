/// Chooses how to write a string so that it reads back as exactly that string, under
/// Lifeboat's rules and kubectl's: plain when nothing could misread it, single quotes when it
/// would otherwise read as another type or break the syntax, double quotes with escapes when it
/// holds characters YAML cannot carry raw, and a literal block for multi-line text.
enum YAMLScalarWriter {
    enum Style: Equatable {
        case plain, singleQuoted, doubleQuoted, literal
    }

    /// Characters that cannot start a plain scalar, or would make it mean something else.
    private static let indicators: Set<Unicode.Scalar> = [
        "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`",
    ]

    static func style(for text: String, isKey: Bool) -> Style {
        if canBePlain(text) { return .plain }
        let scalars = text.unicodeScalars
        if !isKey, scalars.contains("\n"), canBeLiteral(scalars) { return .literal }
        return scalars.allSatisfy(isSafe) ? .singleQuoted : .doubleQuoted
    }

    /// The one-line form of `text` (never literal).
    static func inline(_ text: String, isKey: Bool) -> String {
        switch style(for: text, isKey: isKey) {
        case .plain: text
        case .singleQuoted: singleQuoted(text)
        // Multi-line text contains line breaks, which are never safe raw: double quotes.
        case .doubleQuoted, .literal: doubleQuoted(text)
        }
    }

    static func singleQuoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\0": out += "\\0"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0B}": out += "\\v"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case "\u{1B}": out += "\\e"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            case _ where isSafe(scalar): out.unicodeScalars.append(scalar)
            default: out += escape(scalar.value)
            }
        }
        return out + "\""
    }

    /// A literal block (`|`) for `text` whose content lines sit at `indent` columns; `header` goes
    /// right after the indicator position, `body` is the lines that follow (each ending in "\n").
    static func literal(_ text: String, indent: Int) -> (header: String, body: String) {
        var trailing = 0
        for scalar in text.unicodeScalars.reversed() {
            guard scalar == "\n" else { break }
            trailing += 1
        }
        let chomping = trailing == 0 ? "-" : trailing == 1 ? "" : "+"
        // Auto-detected indentation would misread content that starts with whitespace or blank
        // lines, so state it explicitly then. It is relative to the parent, always 2 here.
        let first = text.unicodeScalars.first
        let indicator = first == " " || first == "\t" || first == "\n" ? "2" : ""
        let content = trailing > 0 ? String(text.dropLast()) : text
        let pad = String(repeating: " ", count: indent)
        var body = ""
        for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
            // Empty lines carry no indentation, so the output has no trailing spaces.
            body += line.isEmpty ? "\n" : pad + line + "\n"
        }
        return ("|" + indicator + chomping, body)
    }

    /// A double as YAML that reads back as a double: `1.0` rather than `1`, `.inf`, `.nan`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        return value.description
    }

    // MARK: - Classification

    /// What libyaml accepts unescaped and does not treat as a line break, BOM or control.
    static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: true
        case 0x2028, 0x2029, 0xFEFF: false
        case 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func canBePlain(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        guard scalars.allSatisfy(isSafe), first != " ", last != " ", last != ":",
              !indicators.contains(first), !text.hasPrefix("...")
        else { return false }
        for index in scalars.indices.dropLast() {
            let (here, next) = (scalars[index], scalars[index + 1])
            if (here == ":" && next == " ") || (here == " " && next == "#") { return false }
        }
        // Anything that reads as null, a boolean, a number or a timestamp (or merges) is quoted,
        // and so is go-yaml's legacy base-60 form (`1:20`), which other YAML 1.1 readers take
        // as a number.
        return PlainScalar.resolve(text) == .string && text != "<<" && !isBase60(scalars)
    }

    private static func canBeLiteral(_ scalars: String.UnicodeScalarView) -> Bool {
        var hasContent = false
        for scalar in scalars {
            if scalar == "\n" || scalar == "\t" || scalar == " " { continue }
            guard isSafe(scalar) else { return false }
            hasContent = true
        }
        return hasContent
    }

    /// go-yaml v2's isBase60Float: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
    private static func isBase60(_ scalars: [Unicode.Scalar]) -> Bool {
        var i = 0
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        if i < scalars.count, scalars[i] == "+" || scalars[i] == "-" { i += 1 }
        guard i < scalars.count, isDigit(scalars[i]) else { return false }
        while i < scalars.count, isDigit(scalars[i]) || scalars[i] == "_" { i += 1 }
        var groups = 0
        while i < scalars.count, scalars[i] == ":" {
            i += 1
            guard i < scalars.count, isDigit(scalars[i]) else { return false }
            if i + 1 < scalars.count, isDigit(scalars[i + 1]) {
                guard ("0"..."5").contains(scalars[i]) else { return false }
                i += 1
            }
            i += 1
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < scalars.count, scalars[i] == "." {
            i += 1
            while i < scalars.count, isDigit(scalars[i]) || scalars[i] == "_" { i += 1 }
        }
        return i == scalars.count
    }

    private static func escape(_ value: UInt32) -> String {
        let (prefix, width) = value <= 0xFF ? ("\\x", 2) : value <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
        let hex = String(value, radix: 16, uppercase: true)
        return prefix + String(repeating: "0", count: max(0, width - hex.count)) + hex
    }
}
