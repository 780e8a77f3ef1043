import AWS
import Engine
import LifeboatAPI
import Modules

/// The modules this build runs against AWS, reached with this machine's AWS identity (the
/// standard credential chain and `AWS_ENDPOINT_URL[_<SERVICE>]`), each resource's account
/// through the plan's role. `drctl run --simulate` replaces every module with a simulated one.
struct AvailableModules {
    let clients: AssumedRoleClients
    let registry: ModuleRegistry

    init(plan: DRPlanSpec, externalID: String?, environment: AWSEnvironment = .process) {
        let http = environment.httpClient
        let base = AWSClient(region: environment.region ?? plan.regions.primary,
                             credentials: CredentialProviderChain.standard(environment: environment, http: http, retry: environment.retry),
                             http: http, endpoints: EndpointResolver(environment: environment), retry: environment.retry)
        clients = AssumedRoleClients(base: base, externalID: externalID ?? environment["LIFEBOAT_EXTERNAL_ID"])
        registry = LifeboatModules.registry(clients: clients)
    }

    /// Parameter references resolved in each resource's account, through the same sessions.
    func resolver(executionName: String, roleName: String) -> any ReferenceResolving {
        AWSReferenceResolver(clients: clients, executionName: executionName, roleName: roleName)
    }
}
