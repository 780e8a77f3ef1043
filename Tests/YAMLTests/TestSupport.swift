import Testing
import YAML

/// The resolved value of a single-document text.
func parse(_ text: String) throws -> JSONValue {
    try YAML.parseDocument(text).value
}

/// The error parsing `text` produces, or nil if it parses.
func parseError(_ text: String, file: String? = "test.yaml", limits: YAMLLimits = .default) -> YAMLError? {
    do {
        _ = try YAML.parseDocuments(text, file: file, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The error decoding `text` as `T` produces, or nil if it decodes.
func decodeError<T: Decodable>(_ type: T.Type, _ text: String, file: String? = "plan.yaml") -> YAMLError? {
    do {
        _ = try YAMLDecoder().decode(type, from: text, file: file)
        return nil
    } catch {
        return error
    }
}

/// Equality that also requires the same key order in every object (JSONValue's own equality
/// ignores order, as JSON's does).
func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.array(let x), .array(let y)):
        return x.count == y.count && zip(x, y).allSatisfy(identical)
    case (.object(let x), .object(let y)):
        return x.keys == y.keys && x.keys.allSatisfy { key in
            guard let left = x[key], let right = y[key] else { return false }
            return identical(left, right)
        }
    default:
        return a == b
    }
}

