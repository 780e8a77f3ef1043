/// A non-DecodingError thrown by a type's own init(from:) (its validation), wrapped with the
/// coding path where it happened so YAMLDecoder can still point at the line.
struct DecodingFailure: Error {
    let codingPath: [any CodingKey]
    let underlying: any Error

    var message: String {
        if let yaml = underlying as? YAMLError { return yaml.message }
        return String(describing: underlying)
    }
}
