import Kube
import YAML

/// Writes a reconcile's status the way Flux's patch helper does: diff the status before and
/// after, send only the difference as a JSON merge patch to the `status` subresource, and
/// condition it on the resourceVersion the reconcile started from (`metadata.resourceVersion`
/// in the patch). Nothing else of the object is touched: the status subresource ignores spec
/// and metadata, and the patch carries no other field.
///
/// - No difference: no request; `before` comes back.
/// - Success: the object **the server returned**, so the next step (or a second patch in the
///   same reconcile) starts from the new resourceVersion rather than from a stale cache.
/// - 409 (the object changed since it was read): `ConflictError`; the controller requeues.
public struct StatusPatcher<T: KubeObject>: Sendable {
    let api: Api<T>

    public init(api: Api<T>) { self.api = api }

    public func patch(from before: T, to after: T) async throws -> T {
        let encoder = JSONValueEncoder()
        let old = try encoder.encode(before, field: "status") ?? .null
        let new = try encoder.encode(after, field: "status") ?? .null
        guard let change = JSONMergePatch.diff(from: old, to: new) else { return before }
        let resourceVersion = before.metadata.resourceVersion
        var body: JSONObject = ["status": change]
        // Without a resourceVersion the write would be unconditional: refuse to guess.
        guard let resourceVersion, !resourceVersion.isEmpty else {
            throw TerminalError(StatusPatchError.noResourceVersion(before.key))
        }
        body["metadata"] = ["resourceVersion": .string(resourceVersion)]
        let api = self.api.client.api(T.self, self.api.resource, namespace: before.metadata.namespace)
        return try await ConflictError.rethrowing(before.key, resourceVersion) {
            try await api.patchStatus(before.name, .merge(.object(body)))
        }
    }

    /// `mutate` a copy of `object`, then patch the difference.
    public func update(_ object: T, _ mutate: (inout T) throws -> Void) async throws -> T {
        var after = object
        try mutate(&after)
        return try await patch(from: object, to: after)
    }
}

public enum StatusPatchError: Error, Sendable, CustomStringConvertible {
    case noResourceVersion(ObjectKey)

    public var description: String {
        switch self {
        case .noResourceVersion(let key): "cannot patch the status of \(key): the object has no resourceVersion"
        }
    }
}
