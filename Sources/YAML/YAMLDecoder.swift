/// Decodes Decodable types from YAML with errors that point at the offending line:
/// `plan.yaml:12:18: spec.layers[0].replicas: expected an integer, found string "two"`.
public struct YAMLDecoder: Sendable {
    /// Limits used when decoding from text.
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = .default) {
        self.limits = limits
    }

    public func decode<T: Decodable>(_ type: T.Type, from document: YAMLDocument) throws(YAMLError) -> T {
        do {
            return try ValueDecoder.decode(type, from: document.value, codingPath: [])
        } catch {
            throw Self.yamlError(error, value: document.value, document: document)
        }
    }

    /// Parses exactly one document (see YAML.parseDocument) and decodes it.
    public func decode<T: Decodable>(_ type: T.Type, from text: String, file: String? = nil) throws(YAMLError) -> T {
        try decode(type, from: try YAML.parseDocument(text, file: file, limits: limits))
    }

    /// Decodes an already-resolved value; errors carry a path but no position.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(YAMLError) -> T {
        do {
            return try ValueDecoder.decode(type, from: value, codingPath: [])
        } catch {
            throw Self.yamlError(error, value: value, document: nil)
        }
    }

    private static func yamlError(_ error: any Error, value: JSONValue, document: YAMLDocument?) -> YAMLError {
        let codingPath: [any CodingKey]
        var message: String
        switch error {
        case let error as YAMLError:
            return error
        case let failure as DecodingFailure:
            codingPath = failure.codingPath
            message = failure.message
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            codingPath = context.codingPath
            message = context.debugDescription
        case DecodingError.keyNotFound(let key, let context):
            codingPath = context.codingPath + [key]
            message = context.debugDescription
        default:
            codingPath = []
            message = String(describing: error)
        }
        if message.isEmpty { message = "invalid value" }
        let path = FieldPath(codingPath: codingPath, in: value)
        return YAMLError(message, location: document?.location(of: path), path: path)
    }
}

extension FieldPath {
    /// The path of a coding path, read against the value it addresses: a key is an index only
    /// where the value is a list there. (Dictionary coding keys carry an intValue for keys such
    /// as "0", which would otherwise be mistaken for list indices.)
    init(codingPath: [any CodingKey], in value: JSONValue) {
        var current: JSONValue? = value
        var components: [Component] = []
        for key in codingPath {
            switch current {
            case .array(let items)?:
                if let index = key.intValue {
                    components.append(.index(index))
                    current = items.indices.contains(index) ? items[index] : nil
                } else {
                    components.append(.key(key.stringValue))
                    current = nil
                }
            case .object(let object)?:
                components.append(.key(key.stringValue))
                current = object[key.stringValue]
            default:
                components.append(key.intValue.map(Component.index) ?? .key(key.stringValue))
                current = nil
            }
        }
        self.init(components)
    }
}
