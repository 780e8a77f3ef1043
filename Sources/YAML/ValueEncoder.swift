#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Encoder behind JSONValueEncoder: writes into an EncodingBox.
struct ValueEncoder: Encoder {
    let box: EncodingBox
    let path: EncodingPath
    var codingPath: [any CodingKey] { path.codingPath }
    /// Encode only this key of a keyed container at this level (see `JSONValueEncoder.encode(_:field:)`).
    var onlyKey: String? = nil
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.makeObject()
        return KeyedEncodingContainer(KeyedValueEncodingContainer<Key>(box: box, path: path, onlyKey: onlyKey))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.makeArray()
        return UnkeyedValueEncodingContainer(box: box, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(box: box, path: path)
    }

    /// Encodes one value into `box`, short-cutting the types whose Codable form is not what a
    /// YAML or JSON reader expects.
    static func encode<T: Encodable>(_ value: T, into box: EncodingBox, path: EncodingPath,
                                     onlyKey: String? = nil) throws {
        // Recognised by type equality, not by a dynamic cast (which every value of every
        // status write would pay): a generic argument is always the value's concrete type.
        if T.self == String.self {
            box.set(.string(value as! String))
        } else if T.self == Int.self {
            box.set(.int(value as! Int))
        } else if T.self == Bool.self {
            box.set(.bool(value as! Bool))
        } else if T.self == JSONValue.self {
            box.set(value as! JSONValue)
        } else if T.self == URL.self {
            box.set(.string((value as! URL).absoluteString))
        } else if T.self == Data.self {
            box.set(.string((value as! Data).base64EncodedString()))
        } else {
            try value.encode(to: ValueEncoder(box: box, path: path, onlyKey: onlyKey))
        }
    }

    /// JSONValue has one integer case; values outside Int are refused rather than rounded.
    static func integer<I: BinaryInteger>(_ value: I, path: EncodingPath) throws -> JSONValue {
        guard let int = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: path.codingPath,
                debugDescription: "\(value) does not fit in a 64-bit signed integer"))
        }
        return .int(int)
    }

    /// Float goes through its shortest decimal text so 0.1 stays 0.1 instead of 0.10000000149.
    static func float(_ value: Float) -> JSONValue {
        .double(Double(value.description) ?? Double(value))
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let box: EncodingBox
        let path: EncodingPath
        var codingPath: [any CodingKey] { path.codingPath }

        mutating func encodeNil() throws { box.set(.null) }
        mutating func encode(_ value: Bool) throws { box.set(.bool(value)) }
        mutating func encode(_ value: String) throws { box.set(.string(value)) }
        mutating func encode(_ value: Double) throws { box.set(.double(value)) }
        mutating func encode(_ value: Float) throws { box.set(ValueEncoder.float(value)) }
        mutating func encode(_ value: Int) throws { box.set(.int(value)) }
        mutating func encode(_ value: Int8) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: Int16) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: Int32) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: Int64) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: UInt) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: UInt8) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: UInt16) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: UInt32) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode(_ value: UInt64) throws { box.set(try ValueEncoder.integer(value, path: path)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try ValueEncoder.encode(value, into: box, path: path)
        }
    }
}
