import LifeboatAPI
import YAML

/// What one side (the Swift types or the CRD) says about one field.
struct FieldShape: Equatable, CustomStringConvertible {
    enum Kind: String { case object, array, map, string, integer, number, boolean, opaque }
    var kind: Kind
    var required: Bool
    var enumValues: [String]?
    var defaultValue: JSONValue?

    var description: String {
        var text = "\(kind.rawValue)\(required ? ", required" : "")"
        if let enumValues { text += ", enum \(enumValues.sorted())" }
        if let defaultValue { text += ", default \(JSONWriter.write(defaultValue, pretty: false))" }
        return text
    }
}

/// Paths as `spec.layers[].resources[].name`; `[]` for list items, `{}` for map values.
typealias Shapes = [String: FieldShape]

/// Learns a Decodable type's shape by decoding it from a decoder that says "yes" to every key
/// and records what the type asks for: `decode` means required, `decodeIfPresent` optional;
/// enums show their cases, `Defaulted` fields their default; JSONValue is opaque.
enum SchemaProbe {
    static func shapes<T: Decodable>(of type: T.Type) throws -> Shapes {
        let recorder = Recorder()
        _ = try T(from: ProbeDecoder(path: "", recorder: recorder))
        return recorder.shapes
    }

    final class Recorder {
        var shapes: Shapes = [:]
        func record(_ path: String, _ shape: FieldShape) {
            if var existing = shapes[path] {
                // A later, more specific record (an enum, a default) refines an earlier one.
                existing.enumValues = shape.enumValues ?? existing.enumValues
                existing.defaultValue = shape.defaultValue ?? existing.defaultValue
                existing.required = existing.required || shape.required
                if existing.kind == .object || shape.kind != .object { existing.kind = shape.kind }
                shapes[path] = existing
            } else {
                shapes[path] = shape
            }
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Produces a value of `T` for `path`, recording its kind.
    static func probe<T: Decodable>(_ type: T.Type, at path: String, required: Bool, recorder: Recorder) throws -> T {
        func leaf(_ kind: FieldShape.Kind, _ value: Any, enumValues: [String]? = nil) -> T {
            recorder.record(path, FieldShape(kind: kind, required: required, enumValues: enumValues))
            return value as! T
        }
        switch type {
        case is String.Type: return leaf(.string, "x")
        case is Int.Type: return leaf(.integer, 0)
        case is Int64.Type: return leaf(.integer, Int64(0))
        case is Double.Type: return leaf(.number, 0.0)
        case is Bool.Type: return leaf(.boolean, false)
        case is JSONValue.Type: return leaf(.opaque, JSONValue.null)
        case is Timestamp.Type: return leaf(.string, Timestamp(secondsSinceEpoch: 0))
        case is GoDuration.Type: return leaf(.string, GoDuration.zero)
        default: break
        }
        if let enumType = type as? any APIEnum.Type {
            return leaf(.string, firstCase(of: enumType), enumValues: enumType.allowedValues)
        }
        if let defaulted = type as? any DefaultedField.Type {
            let value = try JSONValueEncoder().encode(AnyEncodable(defaulted.defaultValueForTooling))
            recorder.record(path, FieldShape(kind: .object, required: false, defaultValue: value))
        } else {
            recorder.record(path, FieldShape(kind: .object, required: required))
        }
        return try T(from: ProbeDecoder(path: path, recorder: recorder))
    }

    private static func firstCase<E: APIEnum>(of type: E.Type) -> E { E.allCases.first! }
}

private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

private struct ProbeDecoder: Decoder {
    let path: String
    let recorder: SchemaProbe.Recorder
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ProbeKeyed<Key>(path: path, recorder: recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        recorder.record(path, FieldShape(kind: .array, required: false))
        return ProbeUnkeyed(path: path + "[]", recorder: recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ProbeSingle(path: path, recorder: recorder)
    }
}

private struct ProbeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let path: String
    let recorder: SchemaProbe.Recorder
    var codingPath: [any CodingKey] { [] }

    /// Only dictionaries ask for all keys: answer with one, so the value type is probed too.
    var allKeys: [Key] {
        recorder.record(path, FieldShape(kind: .map, required: false))
        return Key(stringValue: "{}").map { [$0] } ?? []
    }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try SchemaProbe.probe(type, at: childPath(key), required: true, recorder: recorder)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try SchemaProbe.probe(type, at: childPath(key), required: false, recorder: recorder)
    }

    // The standard library's defaults for these go through `decode`, which would read as
    // "required": route them to the generic probe instead.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try probeOptional(type, key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try probeOptional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try probeOptional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try probeOptional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try probeOptional(type, key) }

    private func probeOptional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try SchemaProbe.probe(type, at: childPath(key), required: false, recorder: recorder)
    }

    private func childPath(_ key: Key) -> String {
        key.stringValue == "{}" ? path + ".{}" : SchemaProbe.join(path, key.stringValue)
    }

    func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
        KeyedDecodingContainer(ProbeKeyed<N>(path: childPath(key), recorder: recorder))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        ProbeUnkeyed(path: childPath(key) + "[]", recorder: recorder)
    }
    func superDecoder() throws -> any Decoder { ProbeDecoder(path: path, recorder: recorder) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ProbeDecoder(path: childPath(key), recorder: recorder) }
}

private struct ProbeUnkeyed: UnkeyedDecodingContainer {
    let path: String
    let recorder: SchemaProbe.Recorder
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    init(path: String, recorder: SchemaProbe.Recorder) {
        self.path = path
        self.recorder = recorder
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try SchemaProbe.probe(type, at: path, required: false, recorder: recorder)
    }
    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
        currentIndex += 1
        return KeyedDecodingContainer(ProbeKeyed<N>(path: path, recorder: recorder))
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return ProbeUnkeyed(path: path + "[]", recorder: recorder)
    }
    mutating func superDecoder() throws -> any Decoder { ProbeDecoder(path: path, recorder: recorder) }
}

private struct ProbeSingle: SingleValueDecodingContainer {
    let path: String
    let recorder: SchemaProbe.Recorder
    var codingPath: [any CodingKey] { [] }
    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try SchemaProbe.probe(type, at: path, required: false, recorder: recorder)
    }
}
