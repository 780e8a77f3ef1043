/// An events.k8s.io/v1 Event. The API server also shows it through core/v1 (`involvedObject`,
/// `message`), so `kubectl describe` lists it either way.
public struct Event: KubeObject, Hashable {
    public enum EventType: String, Codable, Sendable, Hashable { case normal = "Normal", warning = "Warning" }

    // Optional: items of a built-in kind's list come without apiVersion and kind.
    public var apiVersion: String? = "events.k8s.io/v1"
    public var kind: String? = "Event"
    public var metadata: ObjectMeta
    /// MicroTime of the first occurrence; required.
    public var eventTime: String
    public var series: EventSeries?
    /// `domain/name` of the controller that emits it, e.g. `lifeboat.dev/drplan-controller`.
    public var reportingController: String
    /// Which replica: the pod name.
    public var reportingInstance: String
    /// What the controller did or failed to do (`Reconcile`, `Failover`); ≤128 characters.
    public var action: String
    /// Why, CamelCase (`StepFailed`); ≤128 characters.
    public var reason: String
    public var regarding: ObjectReference
    public var related: ObjectReference?
    /// For humans; at most 1 KiB.
    public var note: String?
    public var type: EventType

    public init(metadata: ObjectMeta, eventTime: String, series: EventSeries? = nil, reportingController: String,
                reportingInstance: String, action: String, reason: String, regarding: ObjectReference,
                related: ObjectReference? = nil, note: String?, type: EventType) {
        self.metadata = metadata
        self.eventTime = eventTime
        self.series = series
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.related = related
        self.note = note
        self.type = type
    }
}

/// Repeats of one event: `count` ≥ 2 and the MicroTime of the latest.
public struct EventSeries: Codable, Sendable, Hashable {
    public var count: Int
    public var lastObservedTime: String

    public init(count: Int, lastObservedTime: String) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}
