import Synchronization

/// The controller work queue, with client-go's guarantees:
/// - a key added while queued is not queued twice (`dirty`);
/// - a key added while a worker holds it is queued again only when that worker calls `done`
///   (`processing`), so one key never has two workers;
/// - `addRateLimited` waits per-item exponential backoff (and an overall bucket), `forget` resets it;
/// - `addAfter` is a delayed add; waiting costs no CPU (a sleeping task per delayed key).
/// `workqueue_unfinished_work_seconds` and `…_longest_running_processor_seconds` are computed
/// from the start times of the keys in progress when the registry renders, not by a timer.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var delayed: [Key: (due: Double, task: Task<Void, Never>)] = [:]
    private var limiter: ControllerRateLimiter<Key>
    private var shuttingDown = false
    private var addedAt: [Key: Double] = [:]
    /// Start times of the keys being processed; behind a lock because the registry reads it
    /// from outside the actor at render time.
    private let inFlight = RunningKeys<Key>()
    let metrics: WorkQueueMetrics?
    /// Monotonic seconds; injectable for tests of the time-based gauges.
    private let now: @Sendable () -> Double

    public init(rateLimiter: ControllerRateLimiter<Key> = ControllerRateLimiter(), metrics: WorkQueueMetrics? = nil) {
        self.init(rateLimiter: rateLimiter, metrics: metrics, now: { Monotonic.now })
    }

    init(rateLimiter: ControllerRateLimiter<Key>, metrics: WorkQueueMetrics?, now: @escaping @Sendable () -> Double) {
        self.limiter = rateLimiter
        self.metrics = metrics
        self.now = now
        if let metrics {
            metrics.registry.onRender { [inFlight] in
                let at = now()
                let running = inFlight.starts.withLock { $0.values.map { max(0, at - $0) } }
                metrics.unfinishedWork.set(running.reduce(0, +))
                metrics.longestRunning.set(running.max() ?? 0)
            }
        }
    }

    public var depth: Int { queue.count - head }
    public var isShutDown: Bool { shuttingDown }

    public func add(_ key: Key) {
        guard !shuttingDown else { return }
        metrics?.adds.increment()
        guard !dirty.contains(key) else { return }
        dirty.insert(key)
        if processing.contains(key) { return }  // re-queued by `done`
        addedAt[key] = now()
        if !waiters.isEmpty {
            dirty.remove(key)
            processing.insert(key)
            observeStart(key)
            waiters.removeFirst().resume(returning: key)
            return
        }
        queue.append(key)
        metrics?.depth.set(Double(depth))
    }

    /// Adds `key` after `delay`. While one add of the key is pending, the earliest wins: a later
    /// call replaces it only if it is due sooner (controller-runtime's behaviour), so a short
    /// retry is never pushed back by a long poll interval.
    public func addAfter(_ key: Key, _ delay: Duration) {
        guard !shuttingDown else { return }
        guard delay > .zero else { add(key); return }
        let due = now() + Monotonic.seconds(delay)
        if let pending = delayed[key] {
            guard due < pending.due else { return }
            pending.task.cancel()
        }
        let task = Task { [weak self] in
            guard (try? await Task.sleep(for: delay)) != nil else { return }
            await self?.fireDelayed(key, due: due)
        }
        delayed[key] = (due, task)
    }

    /// Whether an add of `key` is pending, and when it is due (monotonic seconds).
    func pendingDue(_ key: Key) -> Double? { delayed[key]?.due }

    private func fireDelayed(_ key: Key, due: Double) {
        // A replaced add may still wake (cancellation races the sleep): only the current one fires.
        guard delayed[key]?.due == due else { return }
        delayed[key] = nil
        add(key)
    }

    public func addRateLimited(_ key: Key) {
        metrics?.retries.increment()
        addAfter(key, .seconds(limiter.when(key, now: now())))
    }

    public func forget(_ key: Key) { limiter.forget(key) }
    public func retries(_ key: Key) -> Int { limiter.retries(key) }

    /// The next key, waiting (suspended, no CPU) until there is one; nil once shut down.
    public func get() async -> Key? {
        if head < queue.count {
            let key = queue[head]
            head += 1
            if head > 1024, head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            dirty.remove(key)
            processing.insert(key)
            observeStart(key)
            metrics?.depth.set(Double(depth))
            return key
        }
        if shuttingDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// The worker is finished with `key`; if it was added meanwhile, it is queued again now.
    public func done(_ key: Key) {
        processing.remove(key)
        if let started = inFlight.starts.withLock({ $0.removeValue(forKey: key) }) {
            metrics?.workDuration.observe(now() - started)
        }
        if dirty.contains(key) {
            dirty.remove(key)
            add(key)
        }
    }

    /// Wakes every waiting worker with nil and drops delayed adds. Keys being processed finish.
    public func shutdown() {
        shuttingDown = true
        for pending in delayed.values { pending.task.cancel() }
        delayed = [:]
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters = []
    }

    private func observeStart(_ key: Key) {
        let now = self.now()
        if let added = addedAt.removeValue(forKey: key) { metrics?.queueDuration.observe(now - added) }
        inFlight.starts.withLock { $0[key] = now }
    }
}

/// The keys in progress and when each started.
final class RunningKeys<Key: Hashable & Sendable>: Sendable {
    let starts = Mutex<[Key: Double]>([:])
}
