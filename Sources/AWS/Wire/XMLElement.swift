import YAML

/// A parsed XML element: just what AWS responses need (names without namespace prefixes,
/// children in order, text). Built from libxml2's tree by `XMLDocumentParser`.
public struct XMLElement: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var children: [XMLElement]
    /// The element's own text (text and CDATA children joined), whitespace kept.
    public var text: String

    public init(name: String, children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.children = children
        self.text = text
    }

    /// The first child named `name`.
    public subscript(name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Follows a path of child names: `response["ListExportsResult", "Exports"]`.
    public subscript(path: String...) -> XMLElement? {
        var current: XMLElement? = self
        for name in path { current = current?[name] }
        return current
    }

    public func all(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The trimmed text of the child `name`, or nil when absent.
    public func string(_ name: String) -> String? { self[name]?.trimmedText }

    public var trimmedText: String { text.trimmingWhitespace() }

    /// The first element anywhere below (depth first) named `name`.
    public func first(named name: String) -> XMLElement? {
        for child in children {
            if child.name == name { return child }
            if let found = child.first(named: name) { return found }
        }
        return nil
    }

    /// A list in AWS's query-protocol shape: `<Items><member>…</member>…</Items>` (or `<item>` in EC2).
    public var members: [XMLElement] { children.filter { $0.name == "member" || $0.name == "item" } }

    public var description: String {
        children.isEmpty ? "<\(name)>\(text)</\(name)>" : "<\(name)>" + children.map(\.description).joined() + "</\(name)>"
    }
}
