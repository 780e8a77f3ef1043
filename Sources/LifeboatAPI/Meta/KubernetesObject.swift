/// What every top-level Lifeboat object has. The envelope (apiVersion, kind, metadata, spec,
/// status) is coded here once; `apiVersion` and `kind` are written from the type and checked by
/// the manifest loader before decoding, never trusted from the document.
///
/// A `KubeObject`, so the Kubernetes client, informers and caches carry DRPlans and DRExecutions
/// like any other kind.
public protocol KubernetesObject: KubeObject, Hashable {
    associatedtype Spec: Codable, Sendable, Hashable
    associatedtype Status: Codable, Sendable, Hashable
    static var apiVersion: String { get }
    static var kind: String { get }
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
