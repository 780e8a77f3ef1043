/// The subset of metav1.ObjectMeta that Lifeboat reads and writes. Fields the controller does
/// not understand (managedFields, ownerReferences, …) are never sent back: the controller only
/// patches `status`, finalizers and Events (API.md "Principles").
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Timestamp?
    public var deletionTimestamp: Timestamp?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var finalizers: [String]?

    public init(name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
                annotations: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }

    /// `namespace/name`, the key of the object in caches and logs.
    public var key: String { "\(namespace ?? "default")/\(name ?? "")" }

    public func annotation(_ name: String) -> String? { annotations?[name] }
}

/// What every top-level Lifeboat object has.
public protocol KubernetesObject: Codable, Sendable, Hashable {
    static var apiVersion: String { get }
    static var kind: String { get }
    var metadata: ObjectMeta { get set }
}

public enum LifeboatGroup {
    public static let name = "lifeboat.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(name)/\(version)"
}
