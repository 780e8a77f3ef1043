/// metav1.ObjectMeta, as the API server writes it: the fields a client, a controller or Lifeboat
/// itself acts on. One type for every object, DRPlan and DRExecution as much as Leases and
/// Events. Fields it does not name (managedFields, …) are not decoded and never sent back:
/// Lifeboat only patches `status`, finalizers and Events (API.md "Principles").
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Timestamp?
    public var deletionTimestamp: Timestamp?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var finalizers: [String]?
    public var ownerReferences: [OwnerReference]?

    public init(name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
                annotations: [String: String]? = nil, resourceVersion: String? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.resourceVersion = resourceVersion
    }

    public func annotation(_ name: String) -> String? { annotations?[name] }

    /// `namespace/name`: the object's key in caches, work queues and logs.
    public var key: ObjectKey { ObjectKey(namespace: namespace, name: name ?? "") }
}

public struct OwnerReference: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
                blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

/// The metadata of a list: the resourceVersion to watch from and the token for the next page.
public struct ListMeta: Codable, Sendable, Hashable {
    public var resourceVersion: String?
    public var `continue`: String?
    public var remainingItemCount: Int?
}
