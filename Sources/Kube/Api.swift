import HTTP
import YAML

/// Typed REST on one resource, as kube-rs's `Api<K>`: in one namespace, or (nil) across all
/// namespaces for lists and watches, or for a cluster-scoped kind.
public struct Api<T: KubeObject>: Sendable {
    public let client: KubeClient
    public let resource: Resource
    public let namespace: String?

    public init(client: KubeClient, resource: Resource, namespace: String?) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
    }

    private func path(_ name: String? = nil, _ subresource: String? = nil, namespace: String? = nil) -> String {
        resource.path(namespace: namespace ?? self.namespace, name: name, subresource: subresource)
    }

    /// The object's own namespace wins over the handle's, so an all-namespaces Api can write.
    private func path(for object: T, _ subresource: String? = nil) -> String {
        path(object.metadata.name, subresource, namespace: object.metadata.namespace)
    }

    public func get(_ name: String) async throws -> T {
        try decode(try await client.send(.get, path(name)))
    }

    /// Reads the object, or nil when it does not exist.
    public func getIfExists(_ name: String) async throws -> T? {
        do { return try await get(name) } catch let error as KubeError where error.isNotFound { return nil }
    }

    /// One page. Follow `metadata.continue` with `ListOptions(continue:)`, or use `listAll`.
    public func list(_ options: ListOptions = ListOptions()) async throws -> ObjectList<T> {
        try decode(try await client.send(.get, path(), query: options.query))
    }

    /// Every page, with the resourceVersion of the first (constant across pages).
    public func listAll(_ options: ListOptions = ListOptions()) async throws -> ObjectList<T> {
        var options = options
        var all = try await list(options)
        var token = all.metadata.continue
        while let next = token, !next.isEmpty {
            options.continue = next
            options.resourceVersion = nil  // the token carries it; sending both is an error
            let page = try await list(options)
            all.items += page.items
            token = page.metadata.continue
        }
        all.metadata.continue = nil
        return all
    }

    public func create(_ object: T, _ options: WriteOptions = WriteOptions()) async throws -> T {
        try decode(try await client.send(.post, path(nil, namespace: object.metadata.namespace), query: options.query,
                                         body: KubeJSON.encode(object), contentType: "application/json"))
    }

    /// PUT: optimistic concurrency via `metadata.resourceVersion` (409 when stale, 422 when absent).
    public func update(_ object: T, _ options: WriteOptions = WriteOptions()) async throws -> T {
        try decode(try await client.send(.put, path(for: object), query: options.query, body: KubeJSON.encode(object),
                                         contentType: "application/json"))
    }

    /// PUT on `/status`: the server keeps everything but `.status` from the stored object.
    public func updateStatus(_ object: T, _ options: WriteOptions = WriteOptions()) async throws -> T {
        try decode(try await client.send(.put, path(for: object, "status"), query: options.query,
                                         body: KubeJSON.encode(object), contentType: "application/json"))
    }

    public func patch(_ name: String, _ patch: Patch, _ options: WriteOptions = WriteOptions()) async throws -> T {
        try await sendPatch(path(name), patch, options)
    }

    public func patchStatus(_ name: String, _ patch: Patch, _ options: WriteOptions = WriteOptions()) async throws -> T {
        try await sendPatch(path(name, "status"), patch, options)
    }

    public func getStatus(_ name: String) async throws -> T {
        try decode(try await client.send(.get, path(name, "status")))
    }

    /// DELETE answers with the object (when finalizers hold it, it now has a deletionTimestamp)
    /// or with a Success Status (it is gone); both are normal.
    @discardableResult
    public func delete(_ name: String, _ options: DeleteOptions = DeleteOptions()) async throws -> DeleteResult<T> {
        let body = try await client.send(.delete, path(name), body: KubeJSON.encode(options), contentType: "application/json")
        if let status = try? KubeJSON.decode(KubeStatus.self, from: body), status.kind == "Status" { return .deleted(status) }
        return .pending(try decode(body))
    }

    /// A watch from `options.resourceVersion`: events as they arrive; an in-stream ERROR is
    /// thrown as its Status (`KubeError.isExpired` for a 410). Ends when the server ends it.
    public func watch(_ options: WatchOptions) async throws -> WatchStream<T> {
        let response = try await client.stream(path(), query: options.query)
        return WatchStream(lines: response.body.lines)
    }

    private func sendPatch(_ path: String, _ patch: Patch, _ options: WriteOptions) async throws -> T {
        var query = options.query
        if case .apply = patch { query.removeAll { $0.0 == "fieldManager" } }
        let body = JSONWriter.bytes(patch.body, pretty: false)
        return try decode(try await client.send(.patch, path, query: query + patch.query, body: body,
                                                contentType: patch.contentType))
    }

    private func decode<R: Decodable>(_ body: [UInt8]) throws -> R {
        do { return try KubeJSON.decode(R.self, from: body, of: T.self) } catch {
            throw KubeError.decoding("\(resource): \(error)")
        }
    }
}

/// A LIST response.
public struct ObjectList<T: KubeObject>: Codable, Sendable {
    public var metadata: ListMeta
    public var items: [T]
}

public enum DeleteResult<T: KubeObject>: Sendable {
    /// Finalizers keep the object until they are removed.
    case pending(T)
    case deleted(KubeStatus)
}
