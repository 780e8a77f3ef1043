import Kube
import Logging

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

/// Runs `reconcile` for each changed object: informer → work queue → `concurrency` workers.
/// One key is never reconciled by two workers at once (the queue's guarantee). The reconciler
/// gets the cached object; an object gone from the cache is not reconciled (use finalizers).
public final class Controller<T: KubeObject>: Sendable {
    public let name: String
    public let informer: Informer<T>
    public let queue: WorkQueue<ObjectKey>
    let concurrency: Int
    let logger: Logger
    let metrics: ControllerMetrics
    let reconcile: @Sendable (T) async throws -> Action

    public init(name: String, api: Api<T>, store: Store<T> = Store(), labelSelector: String? = nil,
                concurrency: Int = 1, registry: MetricsRegistry = MetricsRegistry(), logger: Logger = .disabled,
                reconcile: @escaping @Sendable (T) async throws -> Action) {
        let queue = WorkQueue<ObjectKey>(metrics: WorkQueueMetrics(registry: registry, name: name))
        self.name = name
        self.queue = queue
        self.concurrency = concurrency
        self.logger = logger.with(["controller": .string(name)])
        self.metrics = ControllerMetrics(registry: registry, controller: name)
        self.reconcile = reconcile
        self.informer = Informer(api: api, store: store, labelSelector: labelSelector, logger: logger) { event in
            switch event {
            case .applied(let object): await queue.add(object.key)
            case .deleted(let object): await queue.forget(object.key)
            }
        }
        metrics.maxConcurrent.set(Double(concurrency))
    }

    /// Runs the informer and the workers until the task is cancelled; workers finish the
    /// reconcile they are in (cancelled cooperatively) before this returns.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.informer.run() }
            await informer.waitForSync()
            for _ in 0..<concurrency { group.addTask { await self.work() } }
            // Parked (no CPU) until cancelled; then the queue shuts down and idle workers end.
            let stopped = SyncSignal()
            await withTaskCancellationHandler {
                await stopped.wait()
            } onCancel: {
                Task {
                    await self.queue.shutdown()
                    await stopped.set()
                }
            }
            group.cancelAll()
        }
    }

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
    /// reconcileHandler): error → backoff requeue; terminal error → none; requeue(after:) →
    /// forget the backoff and add after the delay; awaitChange → forget.
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
