/// metav1.Condition. Conditions are the API of a status (kstatus / KEP-1623); `status.phase` is a
/// display aid.
public struct Condition: Codable, Sendable, Hashable {
    public enum Status: String, APIEnum {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"
    }

    public var type: String
    public var status: Status
    public var observedGeneration: Int64?
    public var lastTransitionTime: Timestamp
    /// CamelCase, machine-readable (`PlanBusy`, `AwaitingApproval`).
    public var reason: String
    /// For a person: what is happening and, when they must act, what to do.
    public var message: String

    public init(type: String, status: Status, observedGeneration: Int64? = nil,
                lastTransitionTime: Timestamp, reason: String, message: String) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

extension Array where Element == Condition {
    public subscript(type type: String) -> Condition? { first { $0.type == type } }

    public func isTrue(_ type: String) -> Bool { self[type: type]?.status == .true }

    /// Sets a condition with KEP-1623 semantics: `lastTransitionTime` moves only when `status`
    /// flips; reason, message and observedGeneration are updated in place otherwise. Returns
    /// whether anything changed, so callers can skip a no-op status write.
    @discardableResult
    public mutating func set(_ type: String, _ status: Condition.Status, reason: String, message: String,
                             observedGeneration: Int64? = nil, now: Timestamp) -> Bool {
        guard let index = firstIndex(where: { $0.type == type }) else {
            append(Condition(type: type, status: status, observedGeneration: observedGeneration,
                             lastTransitionTime: now, reason: reason, message: message))
            return true
        }
        var condition = self[index]
        if condition.status != status {
            condition.status = status
            condition.lastTransitionTime = now
        }
        condition.reason = reason
        condition.message = message
        condition.observedGeneration = observedGeneration
        guard condition != self[index] else { return false }
        self[index] = condition
        return true
    }

    @discardableResult
    public mutating func remove(_ type: String) -> Bool {
        let before = count
        removeAll { $0.type == type }
        return count != before
    }
}
