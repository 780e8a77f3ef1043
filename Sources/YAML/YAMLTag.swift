/// An explicit tag, classified. Lifeboat accepts the YAML 1.1 standard tags that change how a
/// value reads and refuses every other tag: kubectl silently drops unknown tags, so a
/// CloudFormation-style `!Ref x` or `!Import y` would reach the cluster as the bare text.
enum YAMLTag: Equatable {
    case str, int, float, bool, null, binary, timestamp, merge, seq, map
    /// `!` alone: "not specific", which for a scalar means text.
    case nonSpecific
    /// Any other tag, kept in the form it was written for the error message.
    case unsupported(String)

    static let standardPrefix = "tag:yaml.org,2002:"

    /// From the short form stored in YAMLNode (`!!int`, `!Local`, `!<uri>`, `!`).
    init(_ short: String) {
        if short == "!" {
            self = .nonSpecific
        } else if short.hasPrefix("!!") {
            switch short.dropFirst(2) {
            case "str": self = .str
            case "int": self = .int
            case "float": self = .float
            case "bool": self = .bool
            case "null": self = .null
            case "binary": self = .binary
            case "timestamp": self = .timestamp
            case "merge": self = .merge
            case "seq": self = .seq
            case "map": self = .map
            default: self = .unsupported(short)
            }
        } else {
            self = .unsupported(short)
        }
    }

    /// `!!int` for standard tags, `!Local` as written, `!<uri>` for anything else.
    static func shortForm(_ tag: String) -> String {
        if tag.hasPrefix(standardPrefix) { return "!!" + tag.dropFirst(standardPrefix.count) }
        if tag.hasPrefix("!") { return tag }
        return "!<\(tag)>"
    }

    /// Checks the tag is one Lifeboat understands on a node of this kind; the message explains
    /// why other tags are refused rather than ignored.
    static func validate(_ short: String?, on kind: NodeKind, scalarText: String = "") throws(TagProblem) {
        guard let short else { return }
        let tag = YAMLTag(short)
        switch (tag, kind) {
        case (.nonSpecific, _), (.seq, .sequence), (.map, .mapping):
            return
        case (.str, .scalar), (.int, .scalar), (.float, .scalar), (.bool, .scalar), (.null, .scalar),
             (.binary, .scalar), (.timestamp, .scalar), (.merge, .scalar):
            return
        case (.unsupported(let name), .scalar):
            let example = YAMLScalarWriter.doubleQuoted(scalarText.isEmpty ? name : "\(name) \(scalarText)")
            throw TagProblem(message: "unsupported tag \(name): kubectl would drop it; write the value as a quoted string, e.g. \(example)")
        case (.unsupported(let name), _):
            throw TagProblem(message: "unsupported tag \(name) on \(kind.description): kubectl would drop it; remove the tag")
        default:
            throw TagProblem(message: "tag \(short) cannot be used on \(kind.description)")
        }
    }

    enum NodeKind {
        case scalar, sequence, mapping
        var description: String {
            switch self {
            case .scalar: "a scalar"
            case .sequence: "a sequence"
            case .mapping: "a mapping"
            }
        }
    }

    struct TagProblem: Error { let message: String }
}
