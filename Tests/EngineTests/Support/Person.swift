import Engine
import EngineTesting
import LifeboatAPI

/// What the person on call does when a run waits for them, through annotations only.
extension SimulationDriver {
    /// Approves every gate that waits and is not approved yet, keeping earlier approvals.
    /// Returns whether there was one.
    mutating func approveWaitingGates() -> Bool {
        approve(stored.status?.gates?.filter { $0.state == .waiting }.map(\.id) ?? [])
    }

    /// Adds gates to the approve annotation. Returns whether it changed.
    mutating func approve(_ gates: [String]) -> Bool {
        let approved = Invariants.gateList(stored.metadata.annotation(LifeboatAnnotation.approve))
        let new = gates.filter { !approved.contains($0) }
        guard !new.isEmpty else { return false }
        annotate(LifeboatAnnotation.approve, (approved.sorted() + new).joined(separator: ","))
        return true
    }

    /// Unblocks a run any way a person would: approve waiting gates, resume a pause (with a
    /// fresh token), override a refused guard, cancel a drill the drill guard refused (that
    /// guard has no override). Returns whether anything was done.
    mutating func unblock(token: String) -> Bool {
        if approveWaitingGates() { return true }
        let status = stored.status
        if status?.phase == .paused || status?.phase == .pausing {
            annotate(LifeboatAnnotation.resume, token)
            return true
        }
        let guardRefused = status?.conditions?[type: ConditionType.stalled]?.reason == "GuardRefused"
        if guardRefused, stored.spec.mode == .drill, stored.metadata.annotation(LifeboatAnnotation.cancel) == nil {
            annotate(LifeboatAnnotation.cancel, token)
            return true
        }
        if guardRefused, stored.metadata.annotation(LifeboatAnnotation.overrideGuards) == nil {
            annotate(LifeboatAnnotation.overrideGuards, "tested on purpose")
            return true
        }
        return false
    }
}
