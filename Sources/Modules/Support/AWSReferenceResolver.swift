import AWS
import Engine
import LifeboatAPI
import YAML

/// The engine's reference seam backed by AWS: `resolve:ssm:…` and `!Import …` in the resource's
/// account (through the plan's role, the same sessions the modules use) and the acting region,
/// cached for the execution. A failed reference fails the resource with the reference named —
/// never its value; throttling and 5xx are transient, so the engine retries them.
public struct AWSReferenceResolver: ReferenceResolving {
    let resolver: ParameterResolver

    public init(clients: AssumedRoleClients, executionName: String, roleName: String) {
        resolver = ParameterResolver { account, region in
            await clients.client(account: account, roleName: roleName, executionName: executionName, region: region)
        }
    }

    public func sensitiveValues() async -> Set<String> { await resolver.secureValues }

    public func resolve(_ parameters: JSONValue, accountId: String, roleName: String, region: String) async throws(ModuleError) -> JSONValue {
        do {
            return try await resolver.resolve(parameters, account: accountId, region: region, at: FieldPath.root.key("parameters"))
        } catch {
            throw ModuleError(error.isRetryable ? .transient : .permanent, code: error.code, "\(error)")
        }
    }
}
