import LifeboatAPI

/// Imperative requests are annotations whose values are tokens (API.md): a value different
/// from the one echoed in `status.lastHandled` is a new request.
extension Run {
    func newToken(_ annotation: String, lastHandled: String?) -> String? {
        guard let value = input.execution.metadata.annotation(annotation)?.trimmingSpaces, !value.isEmpty,
              value != lastHandled else { return nil }
        return value
    }

    mutating func handleRequests() {
        var handled = status.lastHandled ?? HandledRequests()
        defer { status.lastHandled = handled }
        if let token = newToken(LifeboatAnnotation.cancel, lastHandled: handled.cancel) {
            handled.cancel = token
            if phase != .cancelling {
                status.phase = .cancelling
                emit(.normal, .cancelled, "cancel requested: no new work starts; work in flight is tracked to the end")
            }
        }
        if phase == .cancelling { stopReason = .cancelled }
        if let token = newToken(LifeboatAnnotation.pause, lastHandled: handled.pause) {
            handled.pause = token
            if phase == .running || phase == .awaitingApproval {
                status.phase = .pausing
                emit(.normal, .paused, "pause requested: no new work starts; work in flight is tracked to the end")
            }
        }
        // Retry is a request about a Failed run. Sent earlier, it is acknowledged and ignored,
        // so a token left behind never re-runs a later failure without a person deciding so.
        if let token = newToken(LifeboatAnnotation.retry, lastHandled: handled.retry) {
            handled.retry = token
            emit(.normal, .retrying, "retry request ignored: only a Failed execution can be retried")
        }
        if let token = newToken(LifeboatAnnotation.resume, lastHandled: handled.resume) {
            handled.resume = token
            if phase == .paused || phase == .pausing {
                status.phase = .running
                emit(.normal, .resumed, "resumed")
            }
        }
    }

    /// A run that was never admitted (its plan missing, invalid or busy, a guard refusing it)
    /// honours a cancel request at once: it ends Cancelled without claiming the plan, and stays
    /// out of the plan's history, where it would hide the last real run of its phase from the
    /// phase-order guard. Without this, such a run could not be cancelled at all while it
    /// waited, and a busy plan's waiting run would be admitted, then cancelled.
    mutating func cancelBeforeAdmission() -> Bool {
        var handled = status.lastHandled ?? HandledRequests()
        guard let token = newToken(LifeboatAnnotation.cancel, lastHandled: handled.cancel) else { return false }
        handled.cancel = token
        status.lastHandled = handled
        status.phase = .cancelled
        status.completionTime = now
        stall = nil
        finalOutcome = ("Cancelled", "cancelled on request before it started")
        emit(.normal, .cancelled, "cancelled on request before it started")
        updateConditions()
        return true
    }

    /// A Failed run re-runs its failed and not-started resources when a new retry token
    /// arrives. Succeeded resources stay done: modules are idempotent, but there is no reason
    /// to touch them. The retry waits while another run holds the plan.
    mutating func retryIfRequested() -> Bool {
        let last = status.lastHandled?.retry
        guard let token = newToken(LifeboatAnnotation.retry, lastHandled: last) else { return false }
        if let holder = input.planState.activeExecution, holder != name {
            recheckAfter = settings.planBusyRecheck
            var conditions = status.conditions ?? []
            conditions.set(ConditionType.succeeded, .false, reason: "Failed",
                           message: "retry waits: execution \(holder) holds plan \(spec.planRef.name)", now: now)
            status.conditions = conditions
            return false
        }
        var handled = status.lastHandled ?? HandledRequests()
        handled.retry = token
        status.lastHandled = handled
        var again = 0
        for l in status.layers?.indices ?? [].indices {
            for r in status.layers![l].resources.indices {
                let resource = status.layers![l].resources[r]
                guard resource.state == .failed || (resource.state == .cancelled && resource.startTime == nil) else { continue }
                status.layers![l].resources[r].state = .pending
                status.layers![l].resources[r].message = "retrying"
                status.layers![l].resources[r].errorCode = nil
                status.layers![l].resources[r].completionTime = nil
                // The retry is a new start: its timeout counts from now. Kept, the old start
                // time made a resource that had timed out fail again at once, right after its
                // start had adopted (or begun) the AWS operation.
                status.layers![l].resources[r].startTime = nil
                status.layers![l].resources[r].nextCheckTime = nil
                status.layers![l].resources[r].transientErrors = nil
                again += 1
            }
            if status.layers![l].resources.contains(where: { $0.state == .pending }) {
                status.layers![l].state = .pending
                status.layers![l].completionTime = nil
            }
        }
        status.phase = .running
        status.completionTime = nil
        planUpdates.append(.claim(execution: name))
        emit(.normal, .retrying, "retry requested: \(again) failed or not-started resource\(again == 1 ? "" : "s") run again")
        return true
    }

    /// Gate `start`, required by the plan's approval policy for this phase and mode.
    mutating func evaluateStartGate() {
        guard let snapshot, status.gates?.contains(where: { $0.id == Gate.startID && $0.state != .waiting }) != true else { return }
        let policy = snapshot.approvals
        let required = policy.phases.contains(spec.phase) && !(spec.mode == .drill && policy.drills == .automatic)
        // A run with nothing to do changes nothing, so nobody needs to approve it.
        let hasWork = status.layers?.contains { $0.resources.contains { !$0.state.isFinal } } ?? false
        guard required, hasWork else { return }
        _ = decide(gate: Gate.startID)
    }

    enum GateDecision { case approved, rejected, waiting }

    /// Decides a gate from the approve/reject annotations. Approval may come before the gate is
    /// reached (pre-approval); a rejection stops the run.
    mutating func decide(gate id: String) -> GateDecision {
        var gates = status.gates ?? []
        defer { status.gates = gates }
        if let existing = gates.first(where: { $0.id == id }), existing.state != .waiting {
            return existing.state == .approved ? .approved : .rejected
        }
        let metadata = input.execution.metadata
        let approvals = Self.gateList(metadata.annotation(LifeboatAnnotation.approve))
        let rejections = Self.gateList(metadata.annotation(LifeboatAnnotation.reject))
        let who = metadata.annotation(LifeboatAnnotation.approvedBy)
        var gate = gates.first { $0.id == id } ?? Gate(id: id, state: .waiting, requestedAt: now)
        let isNew = !gates.contains { $0.id == id }
        if rejections.contains(id) {
            gate.state = .rejected
            gate.decidedAt = now
            gate.decidedBy = who
            emit(.warning, .gateRejected, "gate \(id) rejected\(who.map { " by \($0)" } ?? "")", subject: id)
            stopReason = .rejected(gate: id)
        } else if approvals.contains(id) {
            gate.state = .approved
            gate.decidedAt = now
            gate.decidedBy = who
            emit(.normal, .gateApproved, "gate \(id) approved\(who.map { " by \($0)" } ?? "")", subject: id)
        } else {
            let command = settings.approvalHint.command(gate: id, execution: metadata)
            gate.message = "approve with: \(command)"
            if isNew { emit(.normal, .gateWaiting, "waiting for approval of gate \(id): \(command)", subject: id) }
            waitingGate = id
        }
        if let index = gates.firstIndex(where: { $0.id == id }) { gates[index] = gate } else { gates.append(gate) }
        switch gate.state {
        case .approved: return .approved
        case .rejected: return .rejected
        case .waiting: return .waiting
        }
    }

    static func gateList(_ value: String?) -> Set<String> {
        Set((value ?? "").split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty })
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
