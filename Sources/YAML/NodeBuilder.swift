/// Assembles libyaml events into YAMLNode trees, one per document, enforcing the limits while
/// the events stream by: nesting depth, alias expansion and recursive aliases are all decided
/// here, before any value is materialised.
struct NodeBuilder {
    /// A finished document; `root` is nil when the document has no content (a bare `---`).
    struct Document {
        let root: YAMLNode?
        let mark: SourceMark
    }

    private struct Frame {
        let isMapping: Bool
        let mark: SourceMark
        let anchor: String?
        let anchorID: Int
        var children: [YAMLNode] = []
    }

    /// An anchor is `open` while its collection is still being read; an alias to it then would
    /// be an alias to its own ancestor.
    private enum AnchorState {
        case open(id: Int)
        case complete(YAMLNode)
    }

    private let limits: YAMLLimits
    private let file: String?
    private var frames: [Frame] = []
    private var anchors: [String: AnchorState] = [:]
    private var nextAnchorID = 0
    private var aliasExpansion = 0
    private var root: YAMLNode?
    private var documentMark = SourceMark(line: 1, column: 1)

    init(limits: YAMLLimits, file: String?) {
        self.limits = limits
        self.file = file
    }

    /// Feeds one event; returns the document when the event completes one.
    mutating func handle(_ event: ParserEvent) throws(YAMLError) -> Document? {
        switch event {
        case .streamStart, .streamEnd:
            return nil
        case .documentStart(let mark):
            // Anchors and the expansion budget belong to one document.
            frames = []
            anchors = [:]
            aliasExpansion = 0
            root = nil
            documentMark = mark
            return nil
        case .documentEnd:
            let document = Document(root: root, mark: documentMark)
            root = nil
            return document
        case .scalar(let value, let style, let anchor, let tag, let mark, let isEmpty):
            if isEmpty && frames.isEmpty {
                // libyaml's stand-in for an empty document: leave the root unset.
                return nil
            }
            let node = YAMLNode(kind: .scalar(value: value, style: style, tag: tag.map(YAMLTag.shortForm)),
                                mark: mark, anchor: anchor)
            if let anchor { anchors[anchor] = .complete(node) }
            add(node)
        case .alias(let name, let mark):
            try addAlias(name, at: mark)
        case .sequenceStart(let anchor, let tag, let mark):
            try start(isMapping: false, anchor: anchor, tag: tag, mark: mark)
        case .mappingStart(let anchor, let tag, let mark):
            try start(isMapping: true, anchor: anchor, tag: tag, mark: mark)
        case .sequenceEnd, .mappingEnd:
            end()
        }
        return nil
    }

    private mutating func start(isMapping: Bool, anchor: String?, tag: String?, mark: SourceMark) throws(YAMLError) {
        do {
            try YAMLTag.validate(tag.map(YAMLTag.shortForm), on: isMapping ? .mapping : .sequence)
        } catch {
            throw YAMLError(error.message, file: file, mark: mark)
        }
        guard frames.count < limits.maxDepth else {
            throw YAMLError(depthMessage, file: file, mark: mark)
        }
        nextAnchorID += 1
        if let anchor { anchors[anchor] = .open(id: nextAnchorID) }
        frames.append(Frame(isMapping: isMapping, mark: mark, anchor: anchor, anchorID: nextAnchorID))
    }

    private mutating func end() {
        guard let frame = frames.popLast() else { return }
        let kind: YAMLNode.Kind
        if frame.isMapping {
            // libyaml always delivers keys and values in pairs; stride guards against anything else.
            let pairs = stride(from: 0, to: frame.children.count - 1, by: 2).map {
                (key: frame.children[$0], value: frame.children[$0 + 1])
            }
            kind = .mapping(pairs)
        } else {
            kind = .sequence(frame.children)
        }
        let node = YAMLNode(kind: kind, mark: frame.mark, anchor: frame.anchor)
        // A later anchor of the same name, defined inside this collection, takes precedence.
        if let anchor = frame.anchor, case .open(let id)? = anchors[anchor], id == frame.anchorID {
            anchors[anchor] = .complete(node)
        }
        add(node)
    }

    private mutating func addAlias(_ name: String, at mark: SourceMark) throws(YAMLError) {
        switch anchors[name] {
        case nil:
            throw YAMLError("alias *\(name) refers to an undefined anchor", file: file, mark: mark)
        case .open?:
            throw YAMLError("alias *\(name) refers to a collection that contains it; recursive aliases are not allowed",
                            file: file, mark: mark)
        case .complete(let node)?:
            aliasExpansion = YAMLNode.saturatingAdd(aliasExpansion, node.expandedSize)
            guard aliasExpansion <= limits.maxAliasExpansion else {
                throw YAMLError("document expands aliases into more than \(limits.maxAliasExpansion) nodes (a \"billion laughs\" document?)",
                                file: file, mark: mark)
            }
            guard frames.count + node.height <= limits.maxDepth else {
                throw YAMLError(depthMessage, file: file, mark: mark)
            }
            add(node)
        }
    }

    private mutating func add(_ node: YAMLNode) {
        if frames.isEmpty {
            root = node
        } else {
            frames[frames.count - 1].children.append(node)
        }
    }

    private var depthMessage: String {
        "document nests collections more than \(limits.maxDepth) levels deep"
    }
}
