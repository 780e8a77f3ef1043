import YAML

/// JSON coding for API bodies, on the project's one JSON stack (YAML's `JSONParser` and
/// `JSONWriter`, through `JSONValue`): the same decoder reads a DRPlan from a manifest, a watch
/// event or a LIST, so an object is judged the same way wherever it comes from. No Foundation.
enum KubeJSON {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try YAMLDecoder().decode(type, from: try JSONParser.parse(bytes))
    }

    /// An API body holding objects of `Object` (one, a list, a watch event): their
    /// metadata.managedFields are not built unless `Object` reads them.
    static func decode<T: Decodable, Object: KubeObject>(_ type: T.Type, from bytes: [UInt8], of object: Object.Type) throws -> T {
        let value = Object.readsManagedFields ? try JSONParser.parse(bytes)
            : try JSONParser.parse(bytes, omitting: "managedFields", under: "metadata")
        return try YAMLDecoder().decode(type, from: value)
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        JSONWriter.bytes(try JSONValueEncoder().encode(value), pretty: false)
    }
}
