import YAML

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
    /// What could not be read when the object was decoded leniently (an enum value this version
    /// does not know, a field of the wrong type): those parts were left out, and the reconciler
    /// reports them. Empty for an object decoded as written. Never encoded.
    var decodingProblems: [ValidationProblem] { get set }
    init(metadata: ObjectMeta, spec: Spec, status: Status?)
}

private enum ObjectCodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

extension KubernetesObject {
    /// Strict first; when that fails, leniently, as Kubernetes clients read stored objects: an
    /// object stored under another version of the CRD (an enum value added later, a field whose
    /// type changed) must not become unreadable, or one object would stall every cache that holds
    /// it. The parts that block decoding are left out (the same pruning `drctl validate` uses) and
    /// listed in `decodingProblems`; the object is refused only when nothing of its spec is left.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ObjectCodingKeys.self)
        let metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        do {
            self.init(metadata: metadata, spec: try c.decode(Spec.self, forKey: .spec),
                      status: try c.decodeIfPresent(Status.self, forKey: .status))
        } catch let strict {
            let raw = try JSONValue(from: decoder)
            guard let schema = LifeboatSchemas.schema(forKind: Self.kind) else { throw strict }
            let report = StructuralValidator.check(raw, against: schema)
            guard !report.decodingBlockers.isEmpty, let pruned = DocumentPruner(schema: schema).prune(raw, blockers: report.decodingBlockers).value,
                  let spec = pruned["spec"] else { throw strict }
            let values = YAMLDecoder()
            self.init(metadata: metadata, spec: try values.decode(Spec.self, from: spec),
                      status: try pruned["status"].map { try values.decode(Status.self, from: $0) })
            decodingProblems = report.problems.filter { problem in report.decodingBlockers.keys.contains(problem.path) }
        }
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
