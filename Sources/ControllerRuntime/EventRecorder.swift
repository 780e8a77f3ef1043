import Kube
import Logging
import YAML

/// Records events.k8s.io/v1 Events about objects, as client-go's `tools/events` does:
/// - isomorphic events (same regarding object including its `fieldPath` — the subject within
///   the object —, related object, action, reason, type and note) seen again within
///   `seriesWindow` of the last one become a series: the first Event gets
///   `series {count, lastObservedTime}` by merge PATCH instead of a new object each time. The
///   note is part of the key (as in client-go's EventCorrelator dedup key), so "resource 2
///   started" never folds into "resource 1 started";
/// - a spam bound per subject (the regarding object with its `fieldPath`), client-go's token
///   bucket (burst 25, then one per 5 min): writes beyond it are dropped, and a dropped repeat
///   still counts toward the next series patch.
/// Recording never throws: events are best effort and must not fail a reconcile.
public actor EventRecorder {
    public struct Options: Sendable {
        /// `domain/name`, e.g. `lifeboat.dev/drplan-controller`.
        public var reportingController: String
        /// The pod name.
        public var reportingInstance: String
        /// client-go ends a series 6 minutes after its last occurrence.
        public var seriesWindow: Duration = .seconds(360)
        public var spamBurst = 25
        public var spamRefill: Duration = .seconds(300)

        public init(reportingController: String, reportingInstance: String) {
            self.reportingController = reportingController
            self.reportingInstance = reportingInstance
        }
    }

    struct Key: Hashable {
        var regarding: ObjectReference
        var related: ObjectReference?
        var action, reason: String
        var type: Event.EventType
        var note: String
    }

    struct Series {
        var namespace: String
        var name: String
        var count: Int
        var lastSeen: Double
    }

    let client: KubeClient
    let options: Options
    let logger: Logger
    /// Monotonic seconds; injectable so tests can move past the window and the refill.
    let now: @Sendable () -> Double
    private var series: [Key: Series] = [:]
    private var buckets: [ObjectReference: TokenBucket] = [:]
    private var lastSweep = -Double.infinity

    public init(client: KubeClient, options: Options, logger: Logger = .disabled) {
        self.init(client: client, options: options, logger: logger, now: { Monotonic.now })
    }

    init(client: KubeClient, options: Options, logger: Logger, now: @escaping @Sendable () -> Double) {
        self.client = client
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// `subject` names the part of `regarding` the event is about (one resource of many, a
    /// step): it is written as `regarding.fieldPath`, which is where Kubernetes keeps it (a
    /// container of a pod is `spec.containers{name}`), and keys both the series and the spam bound.
    public func record(_ type: Event.EventType, regarding: ObjectReference, subject: String? = nil,
                       related: ObjectReference? = nil, reason: String, action: String, note: String) async {
        let at = now()
        sweep(at)
        var regarding = regarding
        if let subject { regarding.fieldPath = subject }
        let note = String(note.prefix(1024))
        let key = Key(regarding: Self.identity(regarding), related: related.map(Self.identity), action: action,
                      reason: reason, type: type, note: note)
        if var existing = series[key], at - existing.lastSeen <= Monotonic.seconds(options.seriesWindow) {
            existing.count += 1
            existing.lastSeen = at
            series[key] = existing
            guard allowed(key.regarding, at) else { return }
            await patchSeries(key, existing)
            return
        }
        series[key] = nil
        guard allowed(key.regarding, at) else {
            logger.debug("event dropped by the spam bound", ["reason": .string(reason)])
            return
        }
        let namespace = regarding.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let wall = MicroTime.now()
        // client-go's name: the object's name and the time in hex nanoseconds, unique per event.
        let nanos = UInt64(max(0, at) * 1e9) ^ UInt64.random(in: 0..<(1 << 20))
        let event = Event(metadata: ObjectMeta(name: "\(regarding.name ?? "event").\(String(nanos, radix: 16))",
                                               namespace: namespace),
                          eventTime: wall, reportingController: options.reportingController,
                          reportingInstance: options.reportingInstance, action: action, reason: reason,
                          regarding: regarding, related: related, note: note, type: type)
        do {
            let created = try await api(namespace).create(event)
            // The series is keyed once created; a repeat that raced this create starts its own.
            series[key] = Series(namespace: namespace, name: created.name, count: 1, lastSeen: at)
        } catch {
            logger.warning("could not record an event", ["reason": .string(reason), "error": .string("\(error)")])
        }
    }

    private func patchSeries(_ key: Key, _ entry: Series) async {
        let patch: Patch = .merge(["series": ["count": .int(entry.count), "lastObservedTime": .string(MicroTime.now())]])
        do {
            _ = try await api(entry.namespace).patch(entry.name, patch)
        } catch let error as KubeError where error.isNotFound {
            series[key] = nil  // expired on the server (events have a TTL): the next one starts anew
        } catch {
            logger.warning("could not update an event series", ["event": .string(entry.name), "error": .string("\(error)")])
        }
    }

    private func allowed(_ regarding: ObjectReference, _ at: Double) -> Bool {
        var bucket = buckets[regarding] ?? TokenBucket(rate: 1 / Monotonic.seconds(options.spamRefill),
                                                       burst: options.spamBurst)
        let ok = bucket.take(now: at)
        buckets[regarding] = bucket
        return ok
    }

    /// Forgets finished series and refilled buckets, at most once per window, so memory follows
    /// the objects that are currently noisy rather than every object ever seen.
    private func sweep(_ at: Double) {
        let window = Monotonic.seconds(options.seriesWindow)
        guard at - lastSweep >= window else { return }
        lastSweep = at
        series = series.filter { at - $0.value.lastSeen <= window }
        buckets = buckets.filter { var bucket = $0.value; return !bucket.isFull(now: at) }
    }

    /// The parts of a reference that name the object (not the resourceVersion it was seen at).
    static func identity(_ reference: ObjectReference) -> ObjectReference {
        ObjectReference(apiVersion: reference.apiVersion, kind: reference.kind, name: reference.name,
                        namespace: reference.namespace, uid: reference.uid, fieldPath: reference.fieldPath)
    }

    private func api(_ namespace: String) -> Api<Event> { client.api(Event.self, .events, namespace: namespace) }
}
