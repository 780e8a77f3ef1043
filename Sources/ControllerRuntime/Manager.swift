#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Kube
import Logging
import Synchronization

/// Everything a long-running operator wires together, behind one `run()` (controller-runtime's
/// Manager): shared informers, controllers, leader election on a Lease, an event recorder, the
/// metrics registry, `/metrics` `/healthz` `/readyz`, and SIGTERM/SIGINT.
///
/// - Informers run in every replica (a standby's cache is warm when it takes over);
///   `/readyz` is 200 only once every informer has synced.
/// - Controllers' workers run only while this replica leads (without leader election: always).
/// - Shutdown (signal, or cancelling `run`), in order: stop taking new work; let the running
///   reconciles finish (at most `gracefulShutdownTimeout`, then they are cancelled); release the
///   Lease; stop the informers and the probe server; return.
/// - Leadership lost: the work is cancelled at once and `run` returns `.leadershipLost`; exit the
///   process (a fresh start campaigns again with a fresh view).
public final class Manager: Sendable {
    public struct LeaderElection: Sendable {
        public var namespace: String
        public var leaseName: String
        /// Unique per replica: the pod name plus a random suffix, as client-go's examples do.
        public var identity: String
        public var timing: LeaderElector.Timing

        public init(namespace: String, leaseName: String, identity: String = Manager.defaultIdentity(),
                    timing: LeaderElector.Timing = LeaderElector.Timing()) {
            self.namespace = namespace
            self.leaseName = leaseName
            self.identity = identity
            self.timing = timing
        }
    }

    public struct Options: Sendable {
        /// Off when nil: every replica runs the controllers (one replica only!).
        public var leaderElection: LeaderElection?
        /// No probe server when nil.
        public var probes: ProbeServer.Options?
        /// A second server for Prometheus on its own address (operators serve metrics on :8080
        /// and probes on :8081); nil: `/metrics` only on the probe server.
        public var metrics: ProbeServer.Options?
        /// Events are recorded as `reportingController` (`domain/name`); no recorder when nil.
        public var reportingController: String?
        public var gracefulShutdownTimeout: Duration = .seconds(30)

        public init(leaderElection: LeaderElection? = nil, probes: ProbeServer.Options? = nil,
                    reportingController: String? = nil) {
            self.leaderElection = leaderElection
            self.probes = probes
            self.reportingController = reportingController
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Shut down on request; the Lease (if held) was released.
        case stopped
        /// Another replica leads now; the work was cancelled. Exit non-zero.
        case leadershipLost
    }

    public let client: KubeClient
    public let options: Options
    public let registry: MetricsRegistry
    public let logger: Logger
    public let elector: LeaderElector?
    public let recorder: EventRecorder?
    private let informers = Mutex<[InformerSource]>([])
    private let controllers = Mutex<[any ManagedController]>([])
    private let boundProbePort = Mutex<UInt16?>(nil)
    private let boundMetricsPort = Mutex<UInt16?>(nil)

    public init(client: KubeClient, options: Options, registry: MetricsRegistry = MetricsRegistry(),
                logger: Logger = .disabled) {
        self.client = client
        self.options = options
        self.registry = registry
        self.logger = logger
        self.elector = options.leaderElection.map { election in
            LeaderElector(api: client.api(Lease.self, .leases, namespace: election.namespace), name: election.leaseName,
                          identity: election.identity, timing: election.timing, registry: registry, logger: logger)
        }
        let identity = options.leaderElection?.identity ?? Manager.defaultIdentity()
        self.recorder = options.reportingController.map {
            EventRecorder(client: client, options: .init(reportingController: $0, reportingInstance: identity), logger: logger)
        }
    }

    /// `hostname_random`, unique per process.
    public static func defaultIdentity() -> String {
        "\(Self.hostName())_\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A shared informer on `api`, run by the manager. Make one per resource and namespace, and
    /// hand it to every controller that reads or watches that kind.
    public func informer<T: KubeObject>(_ api: Api<T>, store: Store<T> = Store(), labelSelector: String? = nil) -> Informer<T> {
        let informer = Informer(api: api, store: store, labelSelector: labelSelector, registry: registry, logger: logger)
        informers.withLock { $0.append(InformerSource(informer)) }
        return informer
    }

    /// gethostname(2): the pod's name in a cluster.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A controller on a manager informer; its workers run while this replica leads.
    public func controller<T: KubeObject>(_ name: String, informer: Informer<T>, predicate: Predicate<T> = .always,
                                          concurrency: Int = 1,
                                          reconcile: @escaping @Sendable (T) async throws -> Action) -> Controller<T> {
        let controller = Controller(name: name, informer: informer, predicate: predicate, concurrency: concurrency,
                                    registry: registry, logger: logger, reconcile: reconcile)
        controllers.withLock { $0.append(controller) }
        return controller
    }

    /// True once every informer has synced.
    public var isReady: Bool { informers.withLock { $0 }.allSatisfy { $0.hasSynced() } }
    public var isLeader: Bool { elector?.isLeader ?? true }
    /// The probe server's port once `run` has bound it.
    public var probePort: UInt16? { boundProbePort.withLock { $0 } }
    /// The metrics server's port once `run` has bound it.
    public var metricsPort: UInt16? { boundMetricsPort.withLock { $0 } }

    /// Runs until `shutdown` delivers a signal, the task is cancelled, or leadership is lost.
    /// Throws only when the probe or metrics server cannot bind.
    public func run(until shutdown: ShutdownSignal? = nil) async throws -> Outcome {
        let serve = { [registry, logger] (options: ProbeServer.Options) throws -> ProbeServer in
            try ProbeServer(options: options, registry: registry, logger: logger, healthy: { true },
                            ready: { [weak self] in self?.isReady ?? false })
        }
        let probes = try options.probes.map(serve)
        defer { probes?.stop() }
        let metrics = try options.metrics.map(serve)
        defer { metrics?.stop() }
        boundProbePort.withLock { $0 = probes?.port }
        boundMetricsPort.withLock { $0 = metrics?.port }
        logger.info("serving", ["probes": .int(Int(probes?.port ?? 0)), "metrics": .int(Int(metrics?.port ?? 0))])
        let sources = informers.withLock { $0 }
        let controllers = controllers.withLock { $0 }

        let informerTask = Task {
            await withTaskGroup(of: Void.self) { group in
                for source in sources { group.addTask { await source.run() } }
            }
        }
        let leadingEnded = SyncSignal()
        let leading = Task { () -> LeaderElector.Outcome in
            defer { Task { await leadingEnded.set() } }
            let work: @Sendable () async -> Void = {
                await withTaskGroup(of: Void.self) { group in
                    for controller in controllers { group.addTask { await controller.runWorkers() } }
                }
            }
            guard let elector = self.elector else {
                await work()
                return .workFinished
            }
            return await elector.run(work)
        }

        // Park (no CPU) until a signal, a cancellation, or the end of leading (lost).
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await leadingEnded.wait() }
            if let shutdown { group.addTask { _ = await shutdown.wait() } }
            group.addTask { await SyncSignal().wait() }  // returns only when `run` is cancelled
            _ = await group.next()
            group.cancelAll()
        }

        logger.info("shutting down: no new work; waiting for running reconciles")
        for controller in controllers { await controller.stop() }
        if !(elector?.isLeader ?? true) { leading.cancel() }  // still campaigning: stop campaigning
        let finishedInTime = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await leadingEnded.wait() }
            group.addTask {
                (try? await Task.sleep(for: self.options.gracefulShutdownTimeout)) == nil ? true : false
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        if !finishedInTime {
            logger.warning("reconciles did not finish within the graceful shutdown timeout; cancelling them")
            leading.cancel()
        }
        let outcome = await leading.value  // the elector has released the Lease by now
        informerTask.cancel()
        await informerTask.value
        logger.info("stopped", ["outcome": .string("\(outcome)")])
        return outcome == .lost ? .leadershipLost : .stopped
    }
}

/// A controller as the manager sees it: workers to run while leading, and a graceful stop.
public protocol ManagedController: Sendable {
    var name: String { get }
    func runWorkers() async
    func stop() async
}

extension Controller: ManagedController {}
