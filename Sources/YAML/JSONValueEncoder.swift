/// Turns any Encodable into a JSONValue, keeping keys in the order the value encodes them.
/// Optionals encoded with encodeIfPresent (the synthesized default) leave their key out.
/// Foundation's `URL` becomes its string and `Data` its base64 text, as JSONEncoder does.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let box = EncodingBox()
        try ValueEncoder.encode(value, into: box, path: .root)
        return box.resolved
    }

    /// `encode(value)[field]`, without encoding the value's other top-level fields: a status
    /// writer compares two objects' `status` on every write, and encoding their metadata and spec
    /// cost several times more. (Only the fields it skips can no longer fail the encoding.)
    public func encode<T: Encodable>(_ value: T, field: String) throws -> JSONValue? {
        let box = EncodingBox()
        try ValueEncoder.encode(value, into: box, path: .root, onlyKey: field)
        return box.resolved[field]
    }
}

extension JSONValue {
    /// The JSON value of an Encodable; see JSONValueEncoder.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONValueEncoder().encode(value)
    }
}
