/// Any object the client can read and write: Codable with metadata. DRPlan and DRExecution,
/// Leases, Events and `DynamicObject` all conform; the client and the runtime know nothing else
/// about them.
public protocol KubeObject: Codable, Sendable {
    var metadata: ObjectMeta { get set }
    /// Whether decoding this type reads `metadata.managedFields`. ObjectMeta leaves them out, so
    /// the client does not even build them while parsing (they are often most of an object's
    /// bytes); a type that keeps an object's raw JSON says true.
    static var readsManagedFields: Bool { get }
}

extension KubeObject {
    public static var readsManagedFields: Bool { false }

    public var name: String { metadata.name ?? "" }
    public var namespace: String? { metadata.namespace }
    public var resourceVersion: String? { metadata.resourceVersion }
    /// `namespace/name`, or `name` for cluster-scoped objects: the cache and work-queue key.
    public var key: ObjectKey { metadata.key }
}

/// `namespace/name` of an object, as client-go's `MetaNamespaceKeyFunc` spells it.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }
    public static func < (a: ObjectKey, b: ObjectKey) -> Bool { a.description < b.description }
}
