/// A parameter written as one string or as a list of strings (`.stringOrList`), read as a list.
public struct StringOrList: Decodable, Sendable, Hashable {
    public var values: [String]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) { values = list } else { values = [try container.decode(String.self)] }
    }
}
