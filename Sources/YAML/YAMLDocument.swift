/// One parsed YAML document: the positioned node tree and the JSON value it resolves to.
public struct YAMLDocument: Sendable {
    public let file: String?
    /// nil for a document with no content.
    public let root: YAMLNode?
    /// The resolved value; `.null` for an empty document.
    public let value: JSONValue
    /// Where the document starts (its `---`, or its first node).
    public let mark: SourceMark

    init(file: String?, root: YAMLNode?, value: JSONValue, mark: SourceMark) {
        self.file = file
        self.root = root
        self.value = value
        self.mark = mark
    }

    /// The position of the node at `path`, for error messages. When the path does not exist
    /// (a missing field, an index past the end) this is the nearest ancestor that does, which is
    /// where the missing thing would have to be written. Paths run through merge keys and
    /// aliases to the text that actually supplies the value.
    public func location(of path: FieldPath) -> SourceLocation? {
        guard var node = root else { return nil }
        let resolver = ValueResolver(file: file)
        walk: for component in path.components {
            switch (component, node.kind) {
            case (.key(let key), .mapping(let pairs)):
                // The document already resolved without error, so this cannot fail here.
                guard let entries = try? resolver.entries(of: pairs),
                      let entry = entries.first(where: { $0.key == key })
                else { break walk }
                node = entry.value
            case (.index(let index), .sequence(let items)) where items.indices.contains(index):
                node = items[index]
            default:
                break walk
            }
        }
        return SourceLocation(file: file, mark: node.mark)
    }
}
