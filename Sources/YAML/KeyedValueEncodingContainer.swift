/// Keyed container of ValueEncoder. Every primitive overload funnels into `encodeValue`, which
/// lets the value's own encode(to:) reach the single-value container.
struct KeyedValueEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: EncodingBox
    let path: EncodingPath
    var codingPath: [any CodingKey] { path.codingPath }
    /// When set, every other key is skipped unencoded: its nested containers and super encoders
    /// write into a box nobody reads.
    var onlyKey: String? = nil

    private func skips(_ key: String) -> Bool { onlyKey.map { $0 != key } ?? false }

    /// The box `key`'s value goes into.
    private func child(forKey key: String) -> EncodingBox { skips(key) ? EncodingBox() : box.child(forKey: key) }

    private func encodeValue<T: Encodable>(_ value: T, forKey key: Key) throws {
        guard !skips(key.stringValue) else { return }
        try ValueEncoder.encode(value, into: box.child(forKey: key.stringValue), path: path.appending(key))
    }

    mutating func encodeNil(forKey key: Key) throws { child(forKey: key.stringValue).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(forKey: key.stringValue).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(forKey: key.stringValue).set(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { child(forKey: key.stringValue).set(.double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(forKey: key.stringValue).set(.int(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encodeValue(value, forKey: key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = child(forKey: key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedValueEncodingContainer<NestedKey>(box: child, path: path.appending(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = child(forKey: key.stringValue)
        child.makeArray()
        return UnkeyedValueEncodingContainer(box: child, path: path.appending(key))
    }

    mutating func superEncoder() -> any Encoder {
        ValueEncoder(box: child(forKey: "super"), path: path.appending(AnyCodingKey("super")))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(box: child(forKey: key.stringValue), path: path.appending(key))
    }
}
