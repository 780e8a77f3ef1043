import Kube
import Logging
import Synchronization

/// What a reconcile asks for next (kube-rs `Action`).
public enum Action: Sendable, Hashable {
    /// Look again after this long (a poll of something outside the cluster, a deadline).
    case requeue(after: Duration)
    /// Nothing to do until the object changes.
    case awaitChange
}

/// An error that retrying cannot fix (an invalid spec): logged and counted, never requeued.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public let underlying: any Error
    public init(_ underlying: any Error) { self.underlying = underlying }
    public var description: String { "terminal: \(underlying)" }
}

/// Runs `reconcile` for each changed object: informer → predicate → work queue → `concurrency`
/// workers. One key is never reconciled by two workers at once (the queue's guarantee). The
/// reconciler gets the cached object; an object gone from the cache is not reconciled (use
/// finalizers). Other kinds feed the queue through `watch` (secondary watches).
///
/// Stopping: `stop()` stops taking new work and lets running reconciles finish (graceful);
/// cancelling `run`/`runWorkers` also cancels the running reconciles (leadership lost).
public final class Controller<T: KubeObject>: Sendable {
    public let name: String
    public let informer: Informer<T>
    public let queue: WorkQueue<ObjectKey>
    let concurrency: Int
    let logger: Logger
    let metrics: ControllerMetrics
    let reconcile: @Sendable (T) async throws -> Action
    private let stopping = SyncSignal()
    /// The informers this controller reads, for `run` (standalone) and for waiting on their sync.
    private let sources = Mutex<[InformerSource]>([])

    /// A controller with an informer of its own on `api` (run it with `run()`).
    public convenience init(name: String, api: Api<T>, store: Store<T> = Store(), labelSelector: String? = nil,
                            predicate: Predicate<T> = .always, concurrency: Int = 1,
                            registry: MetricsRegistry = MetricsRegistry(), logger: Logger = .disabled,
                            reconcile: @escaping @Sendable (T) async throws -> Action) {
        let informer = Informer(api: api, store: store, labelSelector: labelSelector, registry: registry, logger: logger)
        self.init(name: name, informer: informer, predicate: predicate, concurrency: concurrency, registry: registry,
                  logger: logger, reconcile: reconcile)
    }

    /// A controller on a (possibly shared) informer, as the `Manager` builds them.
    public init(name: String, informer: Informer<T>, predicate: Predicate<T> = .always, concurrency: Int = 1,
                registry: MetricsRegistry = MetricsRegistry(), logger: Logger = .disabled,
                reconcile: @escaping @Sendable (T) async throws -> Action) {
        let queue = WorkQueue<ObjectKey>(metrics: WorkQueueMetrics(registry: registry, name: name))
        self.name = name
        self.queue = queue
        self.informer = informer
        self.concurrency = concurrency
        self.logger = logger.with(["controller": .string(name)])
        self.metrics = ControllerMetrics(registry: registry, controller: name)
        self.reconcile = reconcile
        informer.addHandler { event in
            switch event {
            case .applied:
                if predicate(event) { await queue.add(event.object.key) }
            case .deleted(let object):
                await queue.forget(object.key)
            }
        }
        sources.withLock { $0.append(InformerSource(informer)) }
        metrics.maxConcurrent.set(Double(concurrency))
    }

    /// Queues a key by hand (a timer outside the cluster, a test).
    public func enqueue(_ key: ObjectKey) async { await queue.add(key) }

    /// A secondary watch: when an object of another kind changes (and passes `predicate`), the
    /// keys `map` returns are queued — "this ConfigMap changed → the Widgets that use it".
    public func watch<U: KubeObject>(_ other: Informer<U>, predicate: Predicate<U> = .always,
                                     map: @escaping @Sendable (U) async -> [ObjectKey]) {
        let queue = self.queue
        other.addHandler { event in
            guard predicate(event) else { return }
            for key in await map(event.object) { await queue.add(key) }
        }
        if ObjectIdentifier(other) != ObjectIdentifier(informer) { sources.withLock { $0.append(InformerSource(other)) } }
    }

    /// A secondary watch through an index of this controller's own store: queues every primary
    /// object whose index function (`index`, installed on the `Store`) returned one of `values(other)`.
    /// E.g. index "widget" on Gadgets → `[$0.spec.widgetRef]`, values `{ ["\($0.name)"] }`.
    public func watch<U: KubeObject>(_ other: Informer<U>, predicate: Predicate<U> = .always, throughIndex index: String,
                                     values: @escaping @Sendable (U) -> [String]) {
        let store = informer.store
        watch(other, predicate: predicate) { object in
            var keys: [ObjectKey] = []
            for value in values(object) { keys += await store.byIndex(index, value).map(\.key) }
            return keys
        }
    }

    /// Standalone: runs this controller's informers and its workers until the task is cancelled
    /// (workers are cancelled too) or `stop()` is called (running reconciles finish). With a
    /// `Manager`, the manager runs the informers and calls `runWorkers`.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for source in sources.withLock({ $0 }) { group.addTask { await source.run() } }
            await runWorkers()
            group.cancelAll()
        }
    }

    /// Waits for every informer this controller reads to sync, then runs the workers until the
    /// queue is shut down. Returns promptly when cancelled or stopped, synced or not.
    public func runWorkers() async {
        let sources = sources.withLock { $0 }
        let synced = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for source in sources { guard await source.waitForSync() else { return false } }
                return true
            }
            group.addTask {
                await self.stopping.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard synced, !Task.isCancelled else {
            await queue.shutdown()
            return
        }
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency { group.addTask { await self.work() } }
            }
        } onCancel: {
            Task { await self.queue.shutdown() }
        }
    }

    /// Stops taking new work; the reconciles in progress finish, then `runWorkers` returns.
    public func stop() async {
        await stopping.set()
        await queue.shutdown()
    }

    /// Whether every informer this controller reads has synced (for `/readyz`).
    public var hasSynced: Bool { sources.withLock { $0 }.allSatisfy { $0.hasSynced() } }

    private func work() async {
        while let key = await queue.get() {
            await process(key)
            await queue.done(key)
        }
    }

    private func process(_ key: ObjectKey) async {
        guard let object = await informer.store.get(key) else {
            await queue.forget(key)
            return
        }
        metrics.activeWorkers.increment()
        let start = ContinuousClock.now
        let result: Result<Action, any Error>
        do { result = .success(try await reconcile(object)) } catch { result = .failure(error) }
        metrics.reconcileTime.observe(Monotonic.seconds(ContinuousClock.now - start))
        metrics.activeWorkers.decrement()
        await handle(result, for: key)
    }

    /// The one place reconcile outcomes turn into queue operations (controller-runtime's
    /// reconcileHandler): error → backoff requeue; conflict → backoff requeue, not an error;
    /// terminal error → none; requeue(after:) → forget the backoff and add after the delay;
    /// awaitChange → forget.
    func handle(_ result: Result<Action, any Error>, for key: ObjectKey) async {
        switch result {
        case .failure(let error as TerminalError):
            await queue.forget(key)
            metrics.errors.increment()
            metrics.terminalErrors.increment()
            metrics.total("error").increment()
            logger.error("reconcile failed terminally", ["key": .string(key.description), "error": .string(error.description)])
        case .failure(is CancellationError):
            await queue.add(key)  // shutting down: the next leader picks it up
        case .failure(let error as ConflictError):
            // Someone wrote first: start again from the newer version the watch brings.
            await queue.addRateLimited(key)
            metrics.total("requeue").increment()
            logger.debug("reconcile lost a write race; requeued", ["key": .string(key.description),
                                                                   "error": .string(error.description)])
        case .failure(let error):
            await queue.addRateLimited(key)
            metrics.errors.increment()
            metrics.total("error").increment()
            logger.warning("reconcile failed; retrying with backoff",
                           ["key": .string(key.description), "error": .string("\(error)"),
                            "retries": .int(await queue.retries(key))])
        case .success(.requeue(let after)) where after <= .zero:
            await queue.addRateLimited(key)
            metrics.total("requeue").increment()
        case .success(.requeue(let after)):
            await queue.forget(key)
            await queue.addAfter(key, after)
            metrics.total("requeue_after").increment()
        case .success(.awaitChange):
            await queue.forget(key)
            metrics.total("success").increment()
        }
    }
}

/// An informer of any kind, seen only as something to run and to wait on.
struct InformerSource: Sendable {
    let identity: ObjectIdentifier
    let run: @Sendable () async -> Void
    let waitForSync: @Sendable () async -> Bool
    let hasSynced: @Sendable () -> Bool

    init<U: KubeObject>(_ informer: Informer<U>) {
        identity = ObjectIdentifier(informer)
        run = { await informer.run() }
        waitForSync = { await informer.waitForSync() }
        hasSynced = { informer.hasSynced }
    }
}
