/// A reference to one object, as Events carry it in `regarding` and `related`.
public struct ObjectReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var fieldPath: String?

    public init(apiVersion: String?, kind: String?, name: String?, namespace: String? = nil, uid: String? = nil,
                resourceVersion: String? = nil, fieldPath: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }

    /// A reference to `object`, whose kind `resource` names (typed objects do not carry it).
    public init(_ object: some KubeObject, _ resource: Resource) {
        self.init(apiVersion: resource.apiVersion, kind: resource.kind, name: object.metadata.name,
                  namespace: object.metadata.namespace, uid: object.metadata.uid,
                  resourceVersion: object.metadata.resourceVersion)
    }
}
