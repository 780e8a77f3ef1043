/// Builds small XML request bodies (rest-xml services such as Route 53) with correct escaping.
public struct XMLWriter: Sendable {
    private(set) var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

    public init() {}

    /// `<name xmlns=…>` … `</name>`, with `content` writing the children.
    public mutating func element(_ name: String, namespace: String? = nil, _ content: (inout XMLWriter) -> Void) {
        output += "<\(name)" + (namespace.map { " xmlns=\"\(Self.escape($0))\"" } ?? "") + ">"
        content(&self)
        output += "</\(name)>"
    }

    public mutating func element(_ name: String, _ text: String) {
        output += "<\(name)>\(Self.escape(text))</\(name)>"
    }

    public var bytes: [UInt8] { Array(output.utf8) }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
