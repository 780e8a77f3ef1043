import Kube

/// A write lost an optimistic-concurrency race (HTTP 409): the object changed since it was read.
/// Not a failure of the reconciler: the controller requeues the key (with backoff, without
/// counting an error), and the next reconcile starts from the newer version.
public struct ConflictError: Error, Sendable, CustomStringConvertible {
    public let key: ObjectKey
    /// The resourceVersion the write was conditioned on.
    public let resourceVersion: String?
    public let message: String

    public init(key: ObjectKey, resourceVersion: String?, message: String) {
        self.key = key
        self.resourceVersion = resourceVersion
        self.message = message
    }

    public var description: String { "conflict on \(key) at resourceVersion \(resourceVersion ?? "-"): \(message)" }

    /// Turns a 409 from `body` into a `ConflictError`; other errors pass through unchanged.
    static func rethrowing<R>(_ key: ObjectKey, _ resourceVersion: String?, _ body: () async throws -> R) async throws -> R {
        do { return try await body() } catch let error as KubeError where error.isConflict {
            throw ConflictError(key: key, resourceVersion: resourceVersion, message: error.status?.message ?? "\(error)")
        }
    }
}
