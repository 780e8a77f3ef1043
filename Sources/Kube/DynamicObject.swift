import YAML

/// An object of any kind, kept as its JSON value (unknown fields survive a round trip).
/// Metadata is decoded alongside so the runtime can key and version it.
public struct DynamicObject: KubeObject, Hashable {
    public var value: JSONValue

    public init(_ value: JSONValue) { self.value = value }

    /// Every field survives, managedFields too.
    public static var readsManagedFields: Bool { true }

    public var metadata: ObjectMeta {
        get {
            guard let meta = value["metadata"], let decoded = try? YAMLDecoder().decode(ObjectMeta.self, from: meta)
            else { return ObjectMeta() }
            return decoded
        }
        set { value["metadata"] = try? JSONValueEncoder().encode(newValue) }
    }

    public init(from decoder: any Decoder) throws { value = try JSONValue(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }

    public subscript(key: String) -> JSONValue? {
        get { value[key] }
        set { value[key] = newValue }
    }
}
