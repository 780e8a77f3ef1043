/// A duration written the way Kubernetes and Go write them: `45m`, `4h`, `1h30m`, `90s`, `1.5h`,
/// `500ms`. Stored as whole milliseconds; encoded back in the canonical Go form (`1h30m0s` is
/// written `1h30m`, which Go also parses).
public struct GoDuration: Sendable, Hashable, Comparable, StringCoded {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ s: Int64) -> GoDuration { GoDuration(milliseconds: s * 1000) }
    public static func minutes(_ m: Int64) -> GoDuration { .seconds(m * 60) }
    public static func hours(_ h: Int64) -> GoDuration { .minutes(h * 60) }
    public static let zero = GoDuration(milliseconds: 0)

    public var seconds: Double { Double(milliseconds) / 1000 }
    public var duration: Duration { .milliseconds(milliseconds) }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty, invalid(String), negative(String), tooLarge(String)
        public var description: String {
            switch self {
            case .empty: "empty duration; write e.g. 45m, 4h or 1h30m"
            case .invalid(let s): "invalid duration \"\(s)\": write a number and a unit (ms, s, m, h), e.g. 45m, 4h or 1h30m"
            case .negative(let s): "negative duration \"\(s)\" is not allowed"
            case .tooLarge(let s): "duration \"\(s)\" is too large"
            }
        }
    }

    private static let unitMilliseconds: [(String, Double)] = [("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]

    /// Parses a Go duration. Units: ms, s, m, h (Go's ns/us are accepted but rounded to ms).
    public init(parsing text: String) throws(ParseError) {
        var rest = Substring(text.trimmingCharacters(in: " "))
        guard !rest.isEmpty else { throw .empty }
        if rest.first == "-" { throw .negative(text) }
        if rest.first == "+" { rest = rest.dropFirst() }
        if rest == "0" { self.milliseconds = 0; return }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { throw .invalid(text) }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unitText.count)
            let factor: Double
            switch unitText {
            case "ns": factor = 1e-6
            case "us", "µs": factor = 1e-3
            default:
                guard let f = Self.unitMilliseconds.first(where: { $0.0 == unitText })?.1 else { throw .invalid(text) }
                factor = f
            }
            total += value * factor
        }
        guard total < 9.2e15 else { throw .tooLarge(text) }
        self.milliseconds = Int64(total.rounded())
    }

    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var out = ""
        let hours = rest / 3_600_000; rest %= 3_600_000
        let minutes = rest / 60_000; rest %= 60_000
        if hours > 0 { out += "\(hours)h" }
        if minutes > 0 { out += "\(minutes)m" }
        if rest > 0 {
            if rest % 1000 == 0 { out += "\(rest / 1000)s" }
            else if hours == 0 && minutes == 0 && rest < 1000 { out += "\(rest)ms" }
            else {
                var fraction = String(rest % 1000)
                fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
                while fraction.hasSuffix("0") { fraction.removeLast() }
                out += "\(rest / 1000).\(fraction)s"
            }
        }
        return out
    }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
