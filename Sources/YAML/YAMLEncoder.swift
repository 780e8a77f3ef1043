/// Writes values as block-style YAML that reads back to the same value, laid out the way
/// `kubectl get -o yaml` lays it out. See docs/yaml.md for the quoting rules.
public struct YAMLEncoder: Sendable {
    public init() {}

    /// One document. Keys keep the order the value encodes them in.
    public func encode<T: Encodable>(_ value: T) throws -> String {
        encode(try JSONValueEncoder().encode(value))
    }

    public func encode(_ value: JSONValue) -> String {
        var emitter = YAMLEmitter()
        emitter.document(value)
        return emitter.output
    }

    /// A multi-document stream, documents separated by `---` lines.
    public func encodeDocuments(_ values: [JSONValue]) -> String {
        values.map(encode).joined(separator: "---\n")
    }
}
