#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Decoder behind YAMLDecoder. It reads the resolved JSONValue and is strict about types the
/// way Kubernetes is: an integer never becomes a string or the reverse, null never fills a
/// non-optional. Errors are DecodingErrors whose descriptions are already the plain sentences
/// YAMLDecoder shows ("expected an integer, found string \"two\"").
struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw Self.mismatch(JSONObject.self, expected: "a mapping", found: value, codingPath: codingPath)
        }
        return KeyedDecodingContainer(KeyedValueDecodingContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw Self.mismatch([JSONValue].self, expected: "a list", found: value, codingPath: codingPath)
        }
        return UnkeyedValueDecodingContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }

    /// Decodes one value, short-cutting types whose Codable form is not what YAML holds.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, codingPath: [any CodingKey]) throws -> T {
        // Only for those types: casting to T here would cost every other decode a lookup of
        // Optional<T>'s metadata (a generic caller does not know T).
        if T.self == JSONValue.self || T.self == URL.self || T.self == Data.self || T.self == [String: String].self {
            return try decodeShortcut(type, from: value, codingPath: codingPath)
        }
        do {
            return try T(from: ValueDecoder(value: value, codingPath: codingPath))
        } catch let error as DecodingError {
            throw error
        } catch let error as DecodingFailure {
            throw error
        } catch {
            // A type's own validation error: remember where it happened.
            throw DecodingFailure(codingPath: codingPath, underlying: error)
        }
    }

    /// The types whose Codable form is not what a YAML or JSON document holds, and string maps
    /// (every object's labels and annotations), read the way `Dictionary.init(from:)` reads them
    /// through a keyed container, errors included, without its generic detours.
    @inline(never)
    private static func decodeShortcut<T: Decodable>(_ type: T.Type, from value: JSONValue, codingPath: [any CodingKey]) throws -> T {
        // JSONValue is the resolved value itself. (Exact type: `JSONValue?` must go through
        // Optional's own decoding so that null becomes nil.)
        if T.self == JSONValue.self, let json = value as? T { return json }
        if T.self == URL.self {
            let text = try string(value, codingPath: codingPath)
            guard let url = URL(string: text), let result = url as? T else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(YAMLScalarWriter.doubleQuoted(text)) is not a valid URL"))
            }
            return result
        }
        if T.self == Data.self {
            let text = try string(value, codingPath: codingPath)
            guard let data = Data(base64Encoded: text), let result = data as? T else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "expected base64 data, found a string that is not valid base64"))
            }
            return result
        }
        if T.self == [String: String].self {
            guard case .object(let object) = value else {
                throw mismatch(JSONObject.self, expected: "a mapping", found: value, codingPath: codingPath)
            }
            var map = [String: String](minimumCapacity: object.count)
            for (key, item) in object { map[key] = try string(item, codingPath: codingPath + [DictionaryKey(stringValue: key)]) }
            return map as! T
        }
        preconditionFailure("decodeShortcut called for \(T.self)")
    }

    /// The key `Dictionary.init(from:)` reads a string map with: a key that is a number has an
    /// intValue too, which error paths show.
    private struct DictionaryKey: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue; self.intValue = Int(stringValue) }
        init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
    }

    // MARK: - Unboxing
    //
    // What the scalar types' own init(from:) reach through a single-value container. The keyed
    // container calls these directly, so the coding path (an array per field) is built only
    // for an error.

    static func bool(_ value: JSONValue, codingPath: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw mismatch(Bool.self, expected: "a boolean", found: value, codingPath: codingPath()) }
        return bool
    }

    static func string(_ value: JSONValue, codingPath: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let string) = value else { throw mismatch(String.self, expected: "a string", found: value, codingPath: codingPath()) }
        return string
    }

    static func double(_ value: JSONValue, codingPath: @autoclosure () -> [any CodingKey]) throws -> Double {
        switch value {
        case .int(let int): return Double(int)
        case .double(let double): return double
        default: throw mismatch(Double.self, expected: "a number", found: value, codingPath: codingPath())
        }
    }

    static func float(_ value: JSONValue, codingPath: @autoclosure () -> [any CodingKey]) throws -> Float {
        let double = try double(value, codingPath: codingPath())
        let float = Float(double)
        guard float.isFinite || !double.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "the number \(YAMLScalarWriter.number(double)) does not fit in Float"))
        }
        return float
    }

    /// Integers accept integral floats (`3.0`), as encoding/json does for Kubernetes.
    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue,
                                              codingPath: @autoclosure () -> [any CodingKey]) throws -> I {
        switch value {
        case .int(let int):
            guard let result = I(exactly: int) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "the number \(int) does not fit in \(I.self)"))
            }
            return result
        case .double(let double) where double.isFinite && double == double.rounded():
            guard let result = I(exactly: double) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "the number \(YAMLScalarWriter.number(double)) does not fit in \(I.self)"))
            }
            return result
        default:
            throw mismatch(I.self, expected: "an integer", found: value, codingPath: codingPath())
        }
    }

    /// typeMismatch, or valueNotFound when the value is null, with a sentence for a person.
    static func mismatch(_ type: Any.Type, expected: String, found value: JSONValue, codingPath: [any CodingKey]) -> DecodingError {
        let context = DecodingError.Context(codingPath: codingPath, debugDescription: "expected \(expected), found \(describe(value))")
        return value == .null ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return "boolean \(bool)"
        case .int(let int): return "integer \(int)"
        case .double(let double): return "number \(YAMLScalarWriter.number(double))"
        case .array: return "a list"
        case .object: return "a mapping"
        case .string(let string):
            let shown = string.count > 60 ? String(string.prefix(57)) + "..." : string
            return "string \(YAMLScalarWriter.doubleQuoted(shown))"
        }
    }

    struct SingleValueContainer: SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool { value == .null }
        func decode(_ type: Bool.Type) throws -> Bool { try ValueDecoder.bool(value, codingPath: codingPath) }
        func decode(_ type: String.Type) throws -> String { try ValueDecoder.string(value, codingPath: codingPath) }
        func decode(_ type: Double.Type) throws -> Double { try ValueDecoder.double(value, codingPath: codingPath) }
        func decode(_ type: Float.Type) throws -> Float { try ValueDecoder.float(value, codingPath: codingPath) }
        func decode(_ type: Int.Type) throws -> Int { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: Int8.Type) throws -> Int8 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: Int16.Type) throws -> Int16 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: Int32.Type) throws -> Int32 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: Int64.Type) throws -> Int64 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: UInt.Type) throws -> UInt { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try ValueDecoder.integer(type, value, codingPath: codingPath) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try ValueDecoder.decode(type, from: value, codingPath: codingPath)
        }
    }
}
