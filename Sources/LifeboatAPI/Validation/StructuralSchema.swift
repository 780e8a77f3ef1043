import YAML

/// The part of a CRD's OpenAPI v3 structural schema that the API server enforces on writes:
/// types, required fields, enums, patterns, lengths, sizes, ranges, list types and defaults.
/// `drctl validate` and `drctl run` apply it so a file is judged as `kubectl apply` would judge it
/// (unknown fields are errors, as with kubectl's default `--validate=strict`). CEL rules are not
/// evaluated here; the semantic validation covers each of them (docs/validation.md).
public final class StructuralSchema: Sendable {
    public let type: String?
    public let properties: [(name: String, schema: StructuralSchema)]
    public let required: [String]
    public let additionalProperties: StructuralSchema?
    public let items: StructuralSchema?
    public let enumValues: [JSONValue]?
    public let pattern: String?
    public let format: String?
    public let minLength: Int?
    public let maxLength: Int?
    public let minimum: Double?
    public let maximum: Double?
    public let minItems: Int?
    public let maxItems: Int?
    public let maxProperties: Int?
    public let defaultValue: JSONValue?
    public let preservesUnknownFields: Bool
    public let listType: String?
    public let listMapKeys: [String]
    public let celRules: [(rule: String, message: String?)]

    public struct SchemaError: Error, CustomStringConvertible {
        public let path: FieldPath
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Reads an `openAPIV3Schema` value.
    public init(_ json: JSONValue, at path: FieldPath = .root) throws(SchemaError) {
        guard let object = json.objectValue else { throw SchemaError(path: path, message: "a schema must be an object") }
        type = object["type"]?.stringValue
        var properties: [(String, StructuralSchema)] = []
        if let props = object["properties"]?.objectValue {
            for (name, sub) in props { properties.append((name, try StructuralSchema(sub, at: path / "properties" / name))) }
        }
        self.properties = properties
        required = object["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        additionalProperties = try object["additionalProperties"].flatMap { value throws(SchemaError) in
            value.objectValue == nil ? nil : try StructuralSchema(value, at: path / "additionalProperties")
        }
        items = try object["items"].map { value throws(SchemaError) in try StructuralSchema(value, at: path / "items") }
        enumValues = object["enum"]?.arrayValue
        pattern = object["pattern"]?.stringValue
        format = object["format"]?.stringValue
        minLength = object["minLength"]?.intValue
        maxLength = object["maxLength"]?.intValue
        minimum = object["minimum"]?.numberValue
        maximum = object["maximum"]?.numberValue
        minItems = object["minItems"]?.intValue
        maxItems = object["maxItems"]?.intValue
        maxProperties = object["maxProperties"]?.intValue
        defaultValue = object["default"]
        preservesUnknownFields = object["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        listType = object["x-kubernetes-list-type"]?.stringValue
        listMapKeys = object["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        celRules = object["x-kubernetes-validations"]?.arrayValue?.compactMap { rule in
            rule["rule"]?.stringValue.map { ($0, rule["message"]?.stringValue) }
        } ?? []
    }

    public func property(_ name: String) -> StructuralSchema? { properties.first { $0.name == name }?.schema }

    /// The schema at a path of the document (array indices and map keys step into items and
    /// additionalProperties), or nil where the schema says nothing (preserved unknown fields).
    public func schema(at path: FieldPath) -> StructuralSchema? {
        var current: StructuralSchema? = self
        for component in path.components {
            guard let schema = current else { return nil }
            switch component {
            case .index: current = schema.items
            case .key(let key): current = schema.property(key) ?? schema.additionalProperties
            }
        }
        return current
    }
}

extension StructuralSchema {
    /// Fills in defaults the way the API server does: a missing (or null) property with a default
    /// gets it, and the default itself is defaulted again (so `accounts: {}` gains `roleName`).
    public func applyingDefaults(to value: JSONValue) -> JSONValue {
        switch value {
        case .object(var object):
            for (name, schema) in properties {
                if object[name] == nil || object[name] == .null, let defaultValue = schema.defaultValue {
                    object[name] = defaultValue
                }
                if let child = object[name] { object[name] = schema.applyingDefaults(to: child) }
            }
            if let additional = additionalProperties {
                for (key, child) in object where property(key) == nil { object[key] = additional.applyingDefaults(to: child) }
            }
            return .object(object)
        case .array(let elements):
            guard let items else { return value }
            return .array(elements.map { items.applyingDefaults(to: $0) })
        default:
            return value
        }
    }
}
