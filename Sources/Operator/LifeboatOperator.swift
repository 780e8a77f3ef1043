import AWS
import ControllerRuntime
import Engine
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
import Logging

/// The operator process: a Manager with the DRPlan and DRExecution controllers on shared
/// informers (one pair per watched namespace, or one for all), leader election, Events,
/// metrics and probes. Wiring only: the DR rules are the Engine's, the AWS calls the modules'.
public struct LifeboatOperator: Sendable {
    public let manager: Manager
    let events: EventQueue
    public let logger: Logger

    public init(options: OperatorOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger) throws {
        var configuration: ClientConfiguration
        if let kubeconfig = options.kubeconfig {
            configuration = try ClientConfiguration.from(kubeConfig: try KubeConfig.load(path: kubeconfig), environment: environment)
        } else {
            configuration = try ClientConfiguration.standard(environment: environment)
        }
        configuration.qps = options.kubeAPIQPS
        configuration.burst = options.kubeAPIBurst
        // The pod's name in the user agent tells replicas apart in API server audit logs (and
        // lets a test partition one replica from the API server).
        configuration.userAgent = "lifeboat-operator/\(LifeboatVersion.current)" + (environment["POD_NAME"].map { " (\($0))" } ?? "")
        let client = KubeClient(configuration: configuration, logger: logger)

        let identity = environment["POD_NAME"].map { "\($0)_\(UInt32.random(in: 0...UInt32.max))" } ?? Manager.defaultIdentity()
        var managerOptions = Manager.Options(
            leaderElection: options.leaderElect ? Manager.LeaderElection(
                namespace: options.leaderElectionNamespace ?? environment["POD_NAMESPACE"] ?? "lifeboat-system",
                leaseName: options.leaderElectionID, identity: identity,
                timing: LeaderElector.Timing(leaseDuration: options.leaseDuration, renewDeadline: options.renewDeadline,
                                             retryPeriod: options.retryPeriod)) : nil,
            probes: options.healthProbeBindAddress.map { ProbeServer.Options(host: $0.host, port: $0.port) })
        managerOptions.metrics = options.metricsBindAddress.map { ProbeServer.Options(host: $0.host, port: $0.port) }
        managerOptions.gracefulShutdownTimeout = options.gracefulShutdownTimeout
        let manager = Manager(client: client, options: managerOptions, logger: logger)
        let events = EventQueue(recorder: EventRecorder(client: KubeClient(configuration: configuration, logger: logger),
                                                        options: .init(reportingController: "lifeboat.dev/operator", reportingInstance: identity),
                                                        logger: logger))

        var awsVariables = environment
        if let endpoint = options.awsEndpointURL { awsVariables["AWS_ENDPOINT_URL"] = endpoint }
        let runtime = ModuleRuntime(environment: AWSEnvironment(awsVariables), logger: logger)
        let metrics = LifeboatMetrics(registry: manager.registry)
        let externalIDs = ExternalIDSource(client: client)
        let memory = ExecutionMemory()
        let slots = ConcurrencyLimit(options.readinessSlots)
        let backoff = PlanBackoff()

        var settings = EngineSettings()
        if let interval = options.pollInterval {
            settings.defaultPollInterval = interval
            settings.maximumPollInterval = interval
            settings.minimumPollInterval = min(settings.minimumPollInterval, interval)
            settings.planBusyRecheck = min(settings.planBusyRecheck, interval)
        }
        let scopes: [String?] = options.namespaces.isEmpty ? [nil] : options.namespaces
        for namespace in scopes {
            let suffix = namespace.map { "/\($0)" } ?? ""
            let planInformer = manager.informer(client.api(DRPlan.self, LifeboatKinds.plans, namespace: namespace))
            let executionInformer = manager.informer(
                client.api(DRExecution.self, LifeboatKinds.executions, namespace: namespace),
                store: Store(indexers: [Self.planIndex: { [Self.planKey($0.namespace, $0.spec.planRef.name)] }]))

            let executions = ExecutionReconciler(
                client: client, plans: planInformer.store, memory: memory, runtime: runtime, externalIDs: externalIDs,
                events: ExecutionEvents(recorder: events, metrics: metrics, logger: logger), settings: settings,
                defaultRoleName: options.defaultRoleName, logger: logger)
            // Annotations are requests and never bump the generation; the operator's own status
            // writes change neither, so they do not come back as work.
            let executionController = manager.controller(
                "drexecution\(suffix)", informer: executionInformer,
                predicate: Predicate.generationChanged.or(.annotationsChanged).or(.deletionChanged),
                concurrency: options.concurrency, reconcile: executions.reconcile)
            // A plan that appears, changes, or is let go by another run: its waiting runs look again.
            executionController.watch(planInformer, predicate: Predicate.changed { [$0.metadata.generation.map(String.init) ?? "", $0.status?.activeExecution ?? ""] },
                                      throughIndex: Self.planIndex) { [Self.planKey($0.namespace, $0.name)] }

            let plans = PlanReconciler(client: client, executions: executionInformer.store, runtime: runtime,
                                       externalIDs: externalIDs, metrics: metrics, slots: slots, backoff: backoff, logger: logger)
            let planController = manager.controller("drplan\(suffix)", informer: planInformer, predicate: .generationChanged,
                                                    concurrency: max(1, options.concurrency / 2), reconcile: plans.reconcile)
            // An execution that goes may have left a claim behind (deleted before it could release).
            planController.watch(executionInformer, predicate: Predicate { if case .deleted = $0 { true } else { false } }) {
                [ObjectKey(namespace: $0.namespace, name: $0.spec.planRef.name)]
            }
            planInformer.addHandler { event in
                if case .deleted(let plan) = event {
                    metrics.planReady(plan, ready: nil)
                    await backoff.forget(plan)
                }
            }
            executionInformer.addHandler { event in
                if case .deleted(let execution) = event { metrics.executionGone(execution) }
            }
        }
        self.manager = manager
        self.events = events
        self.logger = logger
    }

    static let planIndex = "plan"
    static func planKey(_ namespace: String?, _ name: String) -> String { "\(namespace ?? "")/\(name)" }

    /// Runs until SIGTERM/SIGINT (exit 0) or leadership is lost (exit 1: a fresh process campaigns
    /// again with a fresh view).
    public func run(until shutdown: ShutdownSignal) async throws -> Manager.Outcome {
        let outcome = try await manager.run(until: shutdown)
        await events.finish()  // the last steps' Events still reach the API server
        return outcome
    }
}
