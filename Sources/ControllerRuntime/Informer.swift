import Kube
import Logging

/// What the informer saw change, after the cache was updated.
public enum InformerEvent<T: KubeObject>: Sendable {
    case applied(T)
    case deleted(T)
}

/// A reflector feeding a `Store` (client-go's ListAndWatch, kube-rs's watcher FSM):
/// - LIST (paginated; the first from the watch cache with resourceVersion "0"), replace the cache;
/// - WATCH from the list's resourceVersion with bookmarks and a timeout random in [5, 10] min,
///   resuming from the last seen resourceVersion when a stream ends;
/// - 410 Expired, as HTTP or as an in-stream ERROR → relist with resourceVersion "" (quorum);
/// - any other failure → watch again after a backoff of 800 ms…30 s with jitter.
/// Every change reaches the handler once, after the cache holds it.
public final class Informer<T: KubeObject>: Sendable {
    public let store: Store<T>
    let api: Api<T>
    let labelSelector: String?
    let pageSize: Int
    let logger: Logger
    let handler: @Sendable (InformerEvent<T>) async -> Void
    private let synced = SyncSignal()

    public init(api: Api<T>, store: Store<T> = Store(), labelSelector: String? = nil, pageSize: Int = 500,
                logger: Logger = .disabled, handler: @escaping @Sendable (InformerEvent<T>) async -> Void = { _ in }) {
        self.api = api
        self.store = store
        self.labelSelector = labelSelector
        self.pageSize = pageSize
        self.logger = logger.with(["resource": .string(api.resource.description)])
        self.handler = handler
    }

    /// Waits (suspended) until the first LIST is in the cache.
    public func waitForSync() async { await synced.wait() }
    public var hasSynced: Bool { get async { await synced.isSet } }

    /// Runs until the task is cancelled.
    public func run() async {
        var resourceVersion: String?
        var firstList = true
        var backoff = Backoff.reflector
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    resourceVersion = try await relist(fromWatchCache: firstList)
                    firstList = false
                    await synced.set()
                }
                let timeout = Int.random(in: 300...600)
                let stream = try await api.watch(WatchOptions(resourceVersion: resourceVersion, labelSelector: labelSelector,
                                                              allowBookmarks: true, timeoutSeconds: timeout))
                for try await event in stream {
                    resourceVersion = try await apply(event) ?? resourceVersion
                    backoff.reset()
                }
                // A clean end (timeoutSeconds): watch again from where we are.
            } catch let error as KubeError where error.isExpired {
                logger.info("watch history expired; relisting", ["error": .string(error.description)])
                resourceVersion = nil
                firstList = false
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                let wait = backoff.next(now: Monotonic.now, random: Double.random(in: 0..<1))
                logger.warning("watch failed; retrying", ["error": .string("\(error)"), "after_seconds": .double(wait)])
                do { try await Task.sleep(for: .seconds(wait)) } catch { return }
            }
        }
    }

    private func relist(fromWatchCache: Bool) async throws -> String? {
        let list = try await api.listAll(ListOptions(labelSelector: labelSelector, limit: pageSize,
                                                     resourceVersion: fromWatchCache ? "0" : nil))
        let (applied, deleted) = await store.replace(list.items)
        for object in applied { await handler(.applied(object)) }
        for object in deleted { await handler(.deleted(object)) }
        logger.debug("listed", ["count": .int(list.items.count)])
        return list.metadata.resourceVersion ?? ""
    }

    /// Applies one event to the cache; returns the resourceVersion to resume from.
    private func apply(_ event: WatchEvent<T>) async throws -> String? {
        switch event {
        case .added(let object), .modified(let object):
            await store.apply(object)
            await handler(.applied(object))
            return object.metadata.resourceVersion
        case .deleted(let object):
            let old = await store.delete(object.key)
            await handler(.deleted(old ?? object))
            return object.metadata.resourceVersion
        case .bookmark(let resourceVersion):
            return resourceVersion.isEmpty ? nil : resourceVersion
        }
    }
}

/// A one-way latch that tasks can wait on without polling.
actor SyncSignal {
    private(set) var isSet = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func set() {
        guard !isSet else { return }
        isSet = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        if isSet { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
