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

/// What every top-level Lifeboat object has. The envelope (apiVersion, kind, metadata, spec,
/// status) is coded here once; `apiVersion` and `kind` are written from the type and checked by
/// the manifest loader before decoding, never trusted from the document.
public protocol KubernetesObject: Codable, Sendable, Hashable {
    associatedtype Spec: Codable, Sendable, Hashable
    associatedtype Status: Codable, Sendable, Hashable
    static var apiVersion: String { get }
    static var kind: String { get }
    var metadata: ObjectMeta { get set }
    var spec: Spec { get set }
    var status: Status? { get set }
    init(metadata: ObjectMeta, spec: Spec, status: Status?)
}

private enum ObjectCodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

extension KubernetesObject {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ObjectCodingKeys.self)
        self.init(metadata: try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta(),
                  spec: try c.decode(Spec.self, forKey: .spec),
                  status: try c.decodeIfPresent(Status.self, forKey: .status))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ObjectCodingKeys.self)
        try c.encode(Self.apiVersion, forKey: .apiVersion)
        try c.encode(Self.kind, forKey: .kind)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(spec, forKey: .spec)
        try c.encodeIfPresent(status, forKey: .status)
    }
}

public enum LifeboatGroup {
    public static let name = "lifeboat.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(name)/\(version)"
}
