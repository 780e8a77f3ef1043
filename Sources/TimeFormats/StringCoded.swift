/// A value that travels as a string in manifests (`45m`, `2026-11-21T22:18:47Z`): decoded by
/// parsing, with the parser's message as the decoding error, and encoded as its description.
public protocol StringCoded: Codable, CustomStringConvertible {
    associatedtype ParseFailure: Error, CustomStringConvertible
    init(parsing text: String) throws(ParseFailure)
}

extension StringCoded {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
