/// Entry points for reading YAML text. See docs/yaml.md for the rules, which follow kubectl.
public enum YAML {
    /// Parses a stream of documents separated by `---`. Documents with no content at all (a
    /// bare `---`, or a stream of only comments) are left out, as kubectl leaves them out, so a
    /// stream of only `---` yields `[]`. A document that is explicitly `null` or `~` is kept.
    public static func parseDocuments(_ text: String, file: String? = nil,
                                      limits: YAMLLimits = .default) throws(YAMLError) -> [YAMLDocument] {
        let size = text.utf8.count
        guard size <= limits.maxDocumentBytes else {
            throw YAMLError("the YAML input is \(size) bytes, more than the limit of \(limits.maxDocumentBytes) bytes",
                            location: file.map { SourceLocation(file: $0, mark: SourceMark(line: 1, column: 1)) })
        }
        let reader = try LibYAMLEventReader(text: text, file: file)
        var builder = NodeBuilder(limits: limits, file: file)
        let resolver = ValueResolver(file: file)
        var documents: [YAMLDocument] = []
        while let event = try reader.next() {
            guard let built = try builder.handle(event), let root = built.root else { continue }
            let value = try resolver.value(of: root)
            documents.append(YAMLDocument(file: file, root: root, value: value, mark: built.mark))
        }
        return documents
    }

    /// Parses text that must hold at most one document. Empty text gives an empty document
    /// (value `.null`); more than one document is an error naming where the second starts.
    public static func parseDocument(_ text: String, file: String? = nil,
                                     limits: YAMLLimits = .default) throws(YAMLError) -> YAMLDocument {
        let documents = try parseDocuments(text, file: file, limits: limits)
        if documents.count > 1 {
            throw YAMLError("expected a single YAML document, found \(documents.count); the second starts here",
                            file: file, mark: documents[1].mark)
        }
        return documents.first ?? YAMLDocument(file: file, root: nil, value: .null, mark: SourceMark(line: 1, column: 1))
    }
}
