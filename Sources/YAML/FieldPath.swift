/// A path into a JSON-compatible document, rendered the way Kubernetes names fields in its
/// errors: `spec.layers[0].resources[2].parameters.Items[1].EcsDesiredSize`. Keys that are not
/// plain identifiers are bracketed: `metadata.annotations[lifeboat.dev/approve]`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// Parses the rendered form back (`a.b[0].c`); used for literals in code and tests.
    public init(stringLiteral value: String) {
        var components: [Component] = []
        var current = ""
        var iterator = value.makeIterator()
        func flush() { if !current.isEmpty { components.append(.key(current)); current = "" } }
        while let ch = iterator.next() {
            switch ch {
            case ".": flush()
            case "[":
                flush()
                var inside = ""
                while let c = iterator.next(), c != "]" { inside.append(c) }
                components.append(Int(inside).map(Component.index) ?? .key(inside))
            default: current.append(ch)
            }
        }
        flush()
        self.components = components
    }

    public static let root = FieldPath()

    public var isRoot: Bool { components.isEmpty }
    public var parent: FieldPath { FieldPath(Array(components.dropLast())) }
    public var last: Component? { components.last }

    public func key(_ name: String) -> FieldPath { FieldPath(components + [.key(name)]) }
    public func index(_ i: Int) -> FieldPath { FieldPath(components + [.index(i)]) }
    public static func / (lhs: FieldPath, rhs: String) -> FieldPath { lhs.key(rhs) }
    public static func / (lhs: FieldPath, rhs: Int) -> FieldPath { lhs.index(rhs) }

    public func hasPrefix(_ other: FieldPath) -> Bool { components.starts(with: other.components) }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .index(let i): out += "[\(i)]"
            case .key(let k) where FieldPath.isPlainKey(k): out += out.isEmpty ? k : ".\(k)"
            case .key(let k): out += "[\(k)]"
            }
        }
        return out.isEmpty ? "<root>" : out
    }

    private static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}

extension FieldPath {
    /// The path of a Codable coding path (integer keys become indices).
    public init(codingPath: [any CodingKey]) {
        self.init(codingPath.map { key in key.intValue.map(Component.index) ?? .key(key.stringValue) })
    }
}
