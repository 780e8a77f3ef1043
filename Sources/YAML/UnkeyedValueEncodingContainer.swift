/// Unkeyed container of ValueEncoder: each encode appends an element box.
struct UnkeyedValueEncodingContainer: UnkeyedEncodingContainer {
    let box: EncodingBox
    let path: EncodingPath
    var codingPath: [any CodingKey] { path.codingPath }

    var count: Int { box.count }

    private func encodeValue<T: Encodable>(_ value: T) throws {
        let path = path.appending(index: box.count)
        try ValueEncoder.encode(value, into: box.appendChild(), path: path)
    }

    mutating func encodeNil() throws { box.appendChild().set(.null) }
    mutating func encode(_ value: Bool) throws { try encodeValue(value) }
    mutating func encode(_ value: String) throws { try encodeValue(value) }
    mutating func encode(_ value: Double) throws { try encodeValue(value) }
    mutating func encode(_ value: Float) throws { try encodeValue(value) }
    mutating func encode(_ value: Int) throws { try encodeValue(value) }
    mutating func encode(_ value: Int8) throws { try encodeValue(value) }
    mutating func encode(_ value: Int16) throws { try encodeValue(value) }
    mutating func encode(_ value: Int32) throws { try encodeValue(value) }
    mutating func encode(_ value: Int64) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt8) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt16) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt32) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt64) throws { try encodeValue(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = path.appending(index: box.count)
        let child = box.appendChild()
        child.makeObject()
        return KeyedEncodingContainer(KeyedValueEncodingContainer<NestedKey>(box: child, path: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = path.appending(index: box.count)
        let child = box.appendChild()
        child.makeArray()
        return UnkeyedValueEncodingContainer(box: child, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = path.appending(index: box.count)
        return ValueEncoder(box: box.appendChild(), path: path)
    }
}
