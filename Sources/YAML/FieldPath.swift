/// A path into a JSON-compatible document, rendered the way Kubernetes names fields in its
/// errors: `spec.layers[0].resources[2].parameters.Items[1].EcsDesiredSize`. Keys that are not
/// plain identifiers are bracketed: `metadata.annotations[lifeboat.dev/approve]`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The components from the leaf up, shared between a path and the paths below it: going
    /// one step down allocates one node and copies nothing (validation builds a path for
    /// every field of every resource, and keeps only the few that name a problem).
    private final class Node: Sendable {
        let component: Component
        let parent: Node?
        let depth: Int

        init(_ component: Component, parent: Node?) {
            self.component = component
            self.parent = parent
            self.depth = (parent?.depth ?? 0) + 1
        }
    }

    private let leaf: Node?

    private init(leaf: Node?) { self.leaf = leaf }

    public init(_ components: [Component] = []) {
        var node: Node?
        for component in components { node = Node(component, parent: node) }
        leaf = node
    }

    public var components: [Component] {
        var reversed: [Component] = []
        reversed.reserveCapacity(leaf?.depth ?? 0)
        var node = leaf
        while let current = node {
            reversed.append(current.component)
            node = current.parent
        }
        return reversed.reversed()
    }

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
        self.init(components)
    }

    public static let root = FieldPath()

    public var isRoot: Bool { leaf == nil }
    public var parent: FieldPath { FieldPath(leaf: leaf?.parent) }
    public var last: Component? { leaf?.component }

    public func key(_ name: String) -> FieldPath { FieldPath(leaf: Node(.key(name), parent: leaf)) }
    public func index(_ i: Int) -> FieldPath { FieldPath(leaf: Node(.index(i), parent: leaf)) }
    public static func / (lhs: FieldPath, rhs: String) -> FieldPath { lhs.key(rhs) }
    public static func / (lhs: FieldPath, rhs: Int) -> FieldPath { lhs.index(rhs) }

    public func hasPrefix(_ other: FieldPath) -> Bool {
        let depth = leaf?.depth ?? 0, otherDepth = other.leaf?.depth ?? 0
        guard otherDepth <= depth else { return false }
        var node = leaf
        for _ in 0..<(depth - otherDepth) { node = node?.parent }
        return FieldPath(leaf: node) == other
    }

    public static func == (lhs: FieldPath, rhs: FieldPath) -> Bool {
        var (left, right) = (lhs.leaf, rhs.leaf)
        while let l = left, let r = right {
            if l === r { return true }  // a shared parent: the rest is the same
            guard l.depth == r.depth, l.component == r.component else { return false }
            (left, right) = (l.parent, r.parent)
        }
        return left == nil && right == nil
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(leaf?.depth ?? 0)
        var node = leaf
        while let current = node {
            hasher.combine(current.component)
            node = current.parent
        }
    }

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
