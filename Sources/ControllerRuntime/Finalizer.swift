import Kube
import YAML

/// A finalizer a controller owns (kube-rs's `finalizer` helper): it is added before the first
/// side effect, so a deletion always waits for the cleanup, and removed only once the cleanup
/// is final. Both writes are merge patches of `metadata.finalizers` conditioned on the
/// resourceVersion they were computed from, so a concurrent change (another finalizer added)
/// is a `ConflictError` and never overwritten.
public struct Finalizer: Sendable {
    /// What a cleanup says.
    public enum Cleanup: Sendable, Hashable {
        /// Nothing is left outside the cluster: remove the finalizer, let the object go.
        case finished
        /// Not yet (an operation in flight): look again.
        case requeue(after: Duration)
    }

    /// A qualified name, e.g. `example.io/cleanup`.
    public let name: String

    public init(_ name: String) { self.name = name }

    public func isPresent(on object: some KubeObject) -> Bool { object.metadata.finalizers?.contains(name) ?? false }

    /// A deletion is in progress: the object stays until every finalizer is gone.
    public static func isBeingDeleted(_ object: some KubeObject) -> Bool {
        object.metadata.deletionTimestamp != nil
    }

    /// Adds the finalizer (no request when present); returns the object the server returned.
    public func add<T: KubeObject>(to object: T, api: Api<T>) async throws -> T {
        guard !isPresent(on: object) else { return object }
        return try await write((object.metadata.finalizers ?? []) + [name], object, api)
    }

    /// Removes the finalizer (no request when absent); returns the object the server returned
    /// (if that was the last finalizer of a deleting object, the server has deleted it).
    public func remove<T: KubeObject>(from object: T, api: Api<T>) async throws -> T {
        guard isPresent(on: object) else { return object }
        return try await write((object.metadata.finalizers ?? []).filter { $0 != name }, object, api)
    }

    /// The whole protocol in one call: a deleting object gets `cleanup` (and loses the finalizer
    /// once that is `.finished`); any other object gets the finalizer first, then `apply` with
    /// the version that has it.
    public func reconcile<T: KubeObject>(_ object: T, api: Api<T>, apply: (T) async throws -> Action,
                                         cleanup: (T) async throws -> Cleanup) async throws -> Action {
        if Self.isBeingDeleted(object) {
            guard isPresent(on: object) else { return .awaitChange }
            switch try await cleanup(object) {
            case .finished:
                _ = try await remove(from: object, api: api)
                return .awaitChange
            case .requeue(let after):
                return .requeue(after: after)
            }
        }
        return try await apply(try await add(to: object, api: api))
    }

    private func write<T: KubeObject>(_ finalizers: [String], _ object: T, _ api: Api<T>) async throws -> T {
        let resourceVersion = object.metadata.resourceVersion
        let patch: JSONValue = ["metadata": ["finalizers": .array(finalizers.map { .string($0) }),
                                             "resourceVersion": resourceVersion.map { .string($0) } ?? .null]]
        let api = api.client.api(T.self, api.resource, namespace: object.metadata.namespace)
        return try await ConflictError.rethrowing(object.key, resourceVersion) {
            try await api.patch(object.name, .merge(patch))
        }
    }
}
