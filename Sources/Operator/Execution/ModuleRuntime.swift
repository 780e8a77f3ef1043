import AWS
import Engine
import LifeboatAPI
import Logging
import Modules

/// How the operator reaches AWS: the process's own identity (the standard chain, which
/// understands EKS IRSA web identity and EKS Pod Identity container credentials), from which
/// every resource's account is reached through the plan's role and external id.
///
/// Executors are built per execution — their sessions carry the execution's name (CloudTrail
/// shows which run acted) and its plan's external id — and share one process-wide cap on module
/// calls in flight.
public struct ModuleRuntime: Sendable {
    let base: AWSClient
    let limit: ConcurrencyLimit
    let logger: Logger

    public init(environment: AWSEnvironment = .process, defaultRegion: String = "us-east-1", concurrentCalls: Int = 64,
                logger: Logger) {
        let http = environment.httpClient
        base = AWSClient(region: environment.region ?? defaultRegion,
                         credentials: CredentialProviderChain.standard(environment: environment, http: http, retry: environment.retry),
                         http: http, endpoints: EndpointResolver(environment: environment), retry: environment.retry)
        limit = ConcurrencyLimit(concurrentCalls)
        self.logger = logger
    }

    /// The executor of one execution: every module, acting through `roleName` with `externalID`.
    func executor(for executionName: String, roleName: String, externalID: String?, logger: Logger) -> EffectExecutor {
        let clients = AssumedRoleClients(base: base, externalID: externalID, capacity: 64)
        return EffectExecutor(registry: LifeboatModules.registry(clients: clients),
                              resolver: AWSReferenceResolver(clients: clients, executionName: executionName, roleName: roleName),
                              logger: logger, limit: limit, clock: { Timestamp.now() }, scoped: [clients])
    }

    /// The executor of a plan's readiness checks: every client it hands out only reads,
    /// whatever a module's preflight does, so a readiness check can never change AWS.
    func readinessExecutor(for planKey: String, roleName: String, externalID: String?) -> EffectExecutor {
        let clients = AssumedRoleClients(base: base, externalID: externalID, capacity: 16)
        let readOnly = ReadOnlyClients(clients: clients, reason: "readiness checks of plan \(planKey) only read")
        let sessionName = "readiness-\(planKey.replacing("/", with: "-"))"
        return EffectExecutor(registry: LifeboatModules.registry(clients: readOnly),
                              resolver: AWSReferenceResolver(clients: clients, executionName: sessionName, roleName: roleName),
                              logger: logger.with(["plan": .string(planKey)]), limit: limit, clock: { Timestamp.now() })
    }
}

/// Clients that may only read (AWS's own read-only actions, `ReadOnlyActions`).
struct ReadOnlyClients: AWSClientProvider {
    let clients: AssumedRoleClients
    let reason: String

    func unrestrictedClient(for context: ModuleContext, region: String) async -> AWSClient {
        await clients.unrestrictedClient(for: context, region: region).readOnly(ReadOnlyRestriction(reason: reason))
    }
}
