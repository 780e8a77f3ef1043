import Kube
import Logging
import Synchronization

/// What the informer saw change, after the cache was updated. `previous` is the cached version
/// it replaced (nil for a new object), so predicates can compare generations and annotations.
public enum InformerEvent<T: KubeObject>: Sendable {
    case applied(T, previous: T?)
    case deleted(T)

    public var object: T {
        switch self {
        case .applied(let object, _), .deleted(let object): object
        }
    }
}

/// A reflector feeding a `Store` (client-go's ListAndWatch, kube-rs's watcher FSM):
/// - LIST (paginated; the first from the watch cache with resourceVersion "0"), replace the cache;
/// - WATCH from the list's resourceVersion with bookmarks and a timeout random in [5, 10] min,
///   resuming from the last seen resourceVersion when a stream ends;
/// - 410 Expired, as HTTP or as an in-stream ERROR → relist with resourceVersion "" (quorum);
/// - any other failure → watch again after a backoff of 800 ms…30 s with jitter.
/// Every change reaches the handlers once, after the cache holds it.
///
/// Poison objects: each item is decoded on its own (`Decoded<T>`). A version that does not
/// decode is logged once (key, resourceVersion, field path), counted in
/// `informer_undecodable_objects_total{resource}` and skipped: the cache keeps the last version
/// that did decode (if any), everything else syncs and flows, and the object comes back as soon
/// as a version of it decodes. Retrying cannot fix such a version, so it must not stall the rest.
public final class Informer<T: KubeObject>: Sendable {
    public typealias Handler = @Sendable (InformerEvent<T>) async -> Void

    public let store: Store<T>
    let api: Api<Decoded<T>>
    let labelSelector: String?
    let pageSize: Int
    let logger: Logger
    private let handlers: Mutex<[Handler]>
    private let synced = SyncSignal()
    private let syncedFlag = Mutex(false)
    /// Keys whose latest version did not decode, with that version.
    private let poisoned = Mutex<[ObjectKey: String]>([:])
    private let undecodableTotal: Metric?
    private let undecodableNow: Metric?

    public init(api: Api<T>, store: Store<T> = Store(), labelSelector: String? = nil, pageSize: Int = 500,
                registry: MetricsRegistry? = nil, logger: Logger = .disabled, handler: Handler? = nil) {
        self.api = api.client.api(Decoded<T>.self, api.resource, namespace: api.namespace)
        self.store = store
        self.labelSelector = labelSelector
        self.pageSize = pageSize
        self.logger = logger.with(["resource": .string(api.resource.description)])
        self.handlers = Mutex(handler.map { [$0] } ?? [])
        let labels: KeyValuePairs<String, String> = ["resource": api.resource.description]
        undecodableTotal = registry?.counter("informer_undecodable_objects_total",
                                             help: "Object versions skipped because they did not decode", labels: labels)
        undecodableNow = registry?.gauge("informer_undecodable_objects",
                                         help: "Objects whose latest version did not decode", labels: labels)
    }

    /// The resource this informer lists and watches.
    public var resource: Resource { api.resource }

    /// Adds a handler for every later change. Add handlers before `run`, or they miss the
    /// initial list.
    public func addHandler(_ handler: @escaping Handler) {
        handlers.withLock { $0.append(handler) }
    }

    /// Waits (suspended) until the first LIST is in the cache; false if cancelled first.
    @discardableResult
    public func waitForSync() async -> Bool { await synced.wait() }
    public var hasSynced: Bool { syncedFlag.withLock { $0 } }

    /// Keys of objects skipped because their latest version does not decode.
    public var undecodableKeys: [ObjectKey] { poisoned.withLock { $0.keys.sorted() } }

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
                    syncedFlag.withLock { $0 = true }
                    await synced.set()
                }
                let timeout = Int.random(in: 300...600)
                let stream = try await api.watch(WatchOptions(resourceVersion: resourceVersion, labelSelector: labelSelector,
                                                              allowBookmarks: true, timeoutSeconds: timeout))
                for try await event in stream {
                    resourceVersion = await apply(event) ?? resourceVersion
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
        var objects: [T] = []
        var skipped = Set<ObjectKey>()
        for item in list.items {
            switch item.content {
            case .object(let object):
                objects.append(object)
                cured(object.key)
            case .undecodable(let failure):
                skip(failure)
                skipped.insert(item.key)
            }
        }
        // Objects that vanished while poisoned are no longer anyone's concern.
        let listed = Set(list.items.map(\.key))
        poisoned.withLock { $0 = $0.filter { listed.contains($0.key) } }
        undecodableNow?.set(Double(poisoned.withLock { $0.count }))
        let (applied, deleted) = await store.replace(objects, keeping: skipped)
        for (object, previous) in applied { await deliver(.applied(object, previous: previous)) }
        for object in deleted { await deliver(.deleted(object)) }
        logger.debug("listed", ["count": .int(list.items.count), "undecodable": .int(skipped.count)])
        return list.metadata.resourceVersion ?? ""
    }

    /// Applies one event to the cache; returns the resourceVersion to resume from.
    private func apply(_ event: WatchEvent<Decoded<T>>) async -> String? {
        switch event {
        case .added(let item), .modified(let item):
            switch item.content {
            case .object(let object):
                cured(object.key)
                let previous = await store.apply(object)
                await deliver(.applied(object, previous: previous))
            case .undecodable(let failure):
                skip(failure)
            }
            return item.metadata.resourceVersion
        case .deleted(let item):
            cured(item.key)
            let old = await store.delete(item.key)
            if let object = old ?? item.object { await deliver(.deleted(object)) }
            return item.metadata.resourceVersion
        case .bookmark(let resourceVersion):
            return resourceVersion.isEmpty ? nil : resourceVersion
        }
    }

    private func deliver(_ event: InformerEvent<T>) async {
        for handler in handlers.withLock({ $0 }) { await handler(event) }
    }

    /// Logs and counts a version that does not decode, once per version (a relist sees it again).
    private func skip(_ failure: UndecodableObject) {
        let key = ObjectKey(namespace: failure.metadata.namespace, name: failure.metadata.name ?? "")
        let version = failure.metadata.resourceVersion ?? ""
        let isNew = poisoned.withLock { poisoned in
            defer { poisoned[key] = version }
            return poisoned[key] != version
        }
        undecodableNow?.set(Double(poisoned.withLock { $0.count }))
        guard isNew else { return }
        undecodableTotal?.increment()
        logger.error("skipping an object that does not decode; it is ignored until a version of it does",
                     ["key": .string(key.description), "resourceVersion": .string(version),
                      "path": .string(failure.path), "error": .string(failure.reason)])
    }

    private func cured(_ key: ObjectKey) {
        guard poisoned.withLock({ $0.removeValue(forKey: key) }) != nil else { return }
        undecodableNow?.set(Double(poisoned.withLock { $0.count }))
        logger.info("a previously undecodable object decodes again", ["key": .string(key.description)])
    }
}
