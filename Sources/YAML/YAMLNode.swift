/// How a scalar was written. Resolution depends on it: only plain scalars can be numbers,
/// booleans or null; anything quoted or in a block is text.
public enum ScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded
}

/// One node of a parsed YAML document, with the position where it starts.
///
/// Aliases are not nodes of their own: `*name` shares the anchored node object, so the tree is
/// a DAG and an alias costs nothing to represent however often it is used. Following a path
/// through an alias therefore lands on the anchored text, which is where a fix has to be made.
public final class YAMLNode: Sendable {
    public enum Kind: Sendable {
        /// `tag` is the explicit tag in short form (`!!int`, `!!str`, `!`), nil when untagged.
        case scalar(value: String, style: ScalarStyle, tag: String?)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    public let kind: Kind
    public let mark: SourceMark
    public let anchor: String?

    /// Nodes this subtree stands for once every alias inside it is expanded; saturates instead
    /// of overflowing so that alias bombs can be measured without being built.
    let expandedSize: Int
    /// Nesting levels of collections in this subtree (a scalar is 0), aliases included.
    let height: Int

    init(kind: Kind, mark: SourceMark, anchor: String?) {
        self.kind = kind
        self.mark = mark
        self.anchor = anchor
        // Plain loops: this runs for every node of every document.
        var size = 1
        var deepest = 0
        switch kind {
        case .scalar:
            break
        case .sequence(let items):
            for item in items {
                size = YAMLNode.saturatingAdd(size, item.expandedSize)
                deepest = max(deepest, item.height + 1)
            }
            deepest = max(deepest, 1)
        case .mapping(let pairs):
            for pair in pairs {
                size = YAMLNode.saturatingAdd(size, YAMLNode.saturatingAdd(pair.key.expandedSize, pair.value.expandedSize))
                deepest = max(deepest, pair.key.height + 1, pair.value.height + 1)
            }
            deepest = max(deepest, 1)
        }
        expandedSize = size
        height = deepest
    }

    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// The text of a scalar node, nil for collections.
    public var scalarValue: String? {
        if case .scalar(let value, _, _) = kind { value } else { nil }
    }

    /// The items of a sequence node, nil otherwise.
    public var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = kind { items } else { nil }
    }

    /// The key/value pairs of a mapping node as written (before merge keys are applied).
    public var mappingPairs: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = kind { pairs } else { nil }
    }

    /// "a mapping", "a sequence", "a scalar": for messages.
    var kindDescription: String {
        switch kind {
        case .scalar: "a scalar"
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        }
    }
}
