#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Kube
import LifeboatAPI

/// Reads the external id a plan names (`spec.accounts.externalIdSecretRef`) from its Secret in
/// the plan's namespace, on demand: the operator neither watches nor caches Secrets, so its
/// RBAC needs only `get` and a Secret's value is held only by the AWS sessions that use it.
/// The value never reaches a log, an Event or a status: errors name the Secret and key only.
struct ExternalIDSource: Sendable {
    let client: KubeClient

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// nil when the plan names no Secret (the role trusts the operator without an external id).
    func externalID(for plan: DRPlanSpec, namespace: String) async throws -> String? {
        guard let reference = plan.accounts.externalIdSecretRef else { return nil }
        let secrets = client.api(Secret.self, LifeboatKinds.secrets, namespace: namespace)
        let where_ = "Secret \(namespace)/\(reference.name) (spec.accounts.externalIdSecretRef)"
        let secret: Secret?
        do {
            secret = try await secrets.getIfExists(reference.name)
        } catch let error as KubeError where error.code == 403 {
            throw Unavailable(description: "\(where_) cannot be read: the operator's ServiceAccount may not get it; grant get on this Secret (docs/security.md)")
        }
        guard let secret else {
            throw Unavailable(description: "\(where_) does not exist; create it with the external id under key \(reference.key)")
        }
        guard let encoded = secret.data?[reference.key] else {
            throw Unavailable(description: "\(where_) has no key \(reference.key); add it, or fix spec.accounts.externalIdSecretRef.key")
        }
        guard let data = Data(base64Encoded: encoded), let text = String(validating: Array(data), as: UTF8.self) else {
            throw Unavailable(description: "\(where_) key \(reference.key) is not base64-encoded text")
        }
        let value = text.trimmingWhitespace()
        guard !value.isEmpty else { throw Unavailable(description: "\(where_) key \(reference.key) is empty") }
        return value
    }
}
