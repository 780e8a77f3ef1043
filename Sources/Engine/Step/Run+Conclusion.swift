import LifeboatAPI

/// The condition types of a DRExecution (API.md; kstatus abnormal-true for Reconciling/Stalled).
public enum ConditionType {
    public static let succeeded = "Succeeded"
    public static let reconciling = "Reconciling"
    public static let stalled = "Stalled"
    public static let awaitingApproval = "AwaitingApproval"
    public static let paused = "Paused"
}

extension Run {
    /// The resources in flight. Looks at each state in place and copies only the few in
    /// flight: a step runs this over every resource of the plan, and copying them all (as
    /// `flatMap` did) was most of a large layer's step.
    var inFlight: [ResourceStatus] {
        guard let layers = status.layers else { return [] }
        var found: [ResourceStatus] = []
        for l in layers.indices {
            let resources = layers[l].resources
            for r in resources.indices where resources[r].state == .starting || resources[r].state == .inProgress {
                found.append(resources[r])
            }
        }
        return found
    }

    /// Decides the display phase, finishes the run when nothing is left, and rewrites progress
    /// and conditions from the resources (so they can never disagree with them).
    mutating func conclude() {
        guard status.layers != nil else { return }
        let allFinal = status.layers!.allSatisfy(\.state.isFinalLayerState)
        let inFlight = self.inFlight
        if stopReason != nil, inFlight.isEmpty {
            cancelNotStarted(stopReason)
            finish()
        } else if allFinal, inFlight.isEmpty {
            finish()
        } else if phase == .pausing || phase == .paused {
            status.phase = inFlight.isEmpty ? .paused : .pausing
        } else if phase == .cancelling || stopReason != nil {
            status.phase = .cancelling
        } else {
            status.phase = waitingGate != nil && inFlight.isEmpty ? .awaitingApproval : .running
        }
        status.currentLayer = phase.isTerminal ? nil : status.layers!.first { !$0.state.isFinalLayerState }?.name
        updateProgress()
        updateConditions()
    }

    private mutating func finish() {
        let resources = status.layers!.flatMap(\.resources)
        let failedFast = status.layers!.contains { $0.state == .failed }
        let result: LastExecution.Result
        let reason: String
        var message: String
        switch stopReason {
        case .runTimedOut?:
            result = .failed
            reason = "TimedOut"
            message = "the execution's deadline (\(spec.timeout.map(\.description) ?? "")) passed"
        case .rejected(let gate)?:
            result = .cancelled
            reason = "Rejected"
            message = "gate \(gate) was rejected"
        case .cancelled?:
            result = .cancelled
            reason = "Cancelled"
            message = "cancelled on request"
        case nil where failedFast:
            result = .failed
            reason = "Failed"
            let failures = resources.filter { $0.state == .failed }
            message = failures.map { "\($0.name): \($0.message ?? "failed")" }.joined(separator: "; ")
        case nil:
            result = .succeeded
            let continued = resources.filter { $0.state == .failed }.map(\.name)
            reason = continued.isEmpty ? "Succeeded" : "SucceededWithFailures"
            message = continued.isEmpty ? "all resources finished"
                : "finished; failed but allowed to continue: \(continued.joined(separator: ", "))"
        }
        if result != .succeeded, failedFast || stopReason == .runTimedOut {
            let failures = resources.filter { $0.state == .failed }
            if stopReason != nil, !failures.isEmpty {
                message += "; failed: " + failures.map { "\($0.name): \($0.message ?? "failed")" }.joined(separator: "; ")
            }
        }
        // A Recovery run in which nothing acted (every resource skipped or only validated) has
        // changed nothing in AWS: recording it would unlock Cleanup of a region that still
        // serves, or move `activeRegion` to a region that never took over.
        let acted = resources.contains { ($0.action ?? .execute) == .execute && $0.state == .succeeded }
        let counts = spec.mode == .drill || result != .succeeded || acted
        if !counts {
            message += "; no resource acted, so this run does not count for the phase order or the serving region"
        }
        status.phase = result == .succeeded ? .succeeded : result == .failed ? .failed : .cancelled
        status.completionTime = now
        finalOutcome = (reason, message)
        switch result {
        case .succeeded: emit(.normal, .executionSucceeded, message)
        case .failed: emit(.warning, .executionFailed, message)
        case .cancelled: emit(.normal, .cancelled, message)
        }
        let serving = counts && result == .succeeded && spec.phase == .activate && spec.mode == .recovery ? status.actingRegion : nil
        let record = LastExecution(phase: spec.phase, mode: spec.mode, name: name, direction: spec.direction, result: result, completionTime: now)
        planUpdates.append(.release(execution: name, record: counts ? record : nil, activeRegion: serving))
    }

    /// One pass over the states, in place.
    private mutating func updateProgress() {
        var total = 0, succeeded = 0, failed = 0, running = 0, pending = 0, skipped = 0, cancelled = 0
        let layers = status.layers!
        for l in layers.indices {
            let resources = layers[l].resources
            total += resources.count
            for r in resources.indices {
                switch resources[r].state {
                case .succeeded: succeeded += 1
                case .failed: failed += 1
                case .starting, .inProgress: running += 1
                case .pending: pending += 1
                case .skipped: skipped += 1
                case .cancelled: cancelled += 1
                }
            }
        }
        status.progress = Progress(total: total, succeeded: succeeded, failed: failed, running: running, pending: pending,
                                   skipped: skipped, cancelled: cancelled)
    }

    /// Conditions say in words what the status says in fields, with the next step for a person.
    mutating func updateConditions() {
        let inFlight = self.inFlight
        var conditions = status.conditions ?? []
        let generation = input.execution.metadata.generation
        func set(_ type: String, _ value: Condition.Status, _ reason: String, _ message: String) {
            conditions.set(type, value, reason: reason, message: message, observedGeneration: generation, now: now)
        }
        let progress = status.progress?.summary ?? "0/0"
        switch phase {
        case .succeeded, .failed, .cancelled:
            let outcome = finalOutcome ?? (phase.rawValue, conditions[type: ConditionType.succeeded]?.message ?? "")
            set(ConditionType.succeeded, phase == .succeeded ? .true : .false, outcome.reason, outcome.message)
            set(ConditionType.reconciling, .false, phase.rawValue, "finished (\(progress))")
        default:
            set(ConditionType.succeeded, .unknown, phase.rawValue, "\(phase.rawValue): \(progress) resources finished")
            let active = phase == .running || phase == .pausing || phase == .cancelling
            set(ConditionType.reconciling, active ? .true : .false, active ? phase.rawValue : "Waiting", reconcilingMessage(progress, inFlight: inFlight))
        }
        set(ConditionType.stalled, stall == nil ? .false : .true, stall?.reason ?? "NotStalled", stall?.message ?? "")
        if let gate = waitingGate, !phase.isTerminal {
            let command = settings.approvalHint.command(gate: gate, execution: input.execution.metadata)
            set(ConditionType.awaitingApproval, .true, "GateWaiting", "gate \(gate) waits for approval: \(command)")
        } else {
            set(ConditionType.awaitingApproval, .false, "NoGateWaiting", "")
        }
        let paused = phase == .paused || phase == .pausing
        set(ConditionType.paused, paused ? .true : .false, paused ? phase.rawValue : "NotPaused",
            paused ? "paused: \(inFlight.count) resource\(inFlight.count == 1 ? "" : "s") still in flight; resume with: \(settings.approvalHint.resumeCommand(execution: input.execution.metadata))" : "")
        status.conditions = conditions
        status.observedGeneration = generation
    }

    private func reconcilingMessage(_ progress: String, inFlight: [ResourceStatus]) -> String {
        let layer = status.currentLayer.map { "layer \($0): " } ?? ""
        let running = inFlight.map(\.name)
        switch phase {
        case .pausing: return "pausing: waiting for \(running.joined(separator: ", ")) to finish"
        case .cancelling: return "cancelling: waiting for \(running.joined(separator: ", ")) to finish"
        case .paused: return "paused at \(progress)"
        case .awaitingApproval: return "waiting at gate \(waitingGate ?? "")"
        default: return running.isEmpty ? "\(layer)\(progress) finished" : "\(layer)\(running.count) running (\(running.prefix(5).joined(separator: ", "))\(running.count > 5 ? ", …" : "")); \(progress) finished"
        }
    }

    /// Conditions for a run that has not started (waiting for a plan, a free plan, or a person).
    mutating func setPendingConditions(reason: String, message: String) {
        var conditions = status.conditions ?? []
        let generation = input.execution.metadata.generation
        let stalled = stall != nil
        conditions.set(ConditionType.succeeded, .unknown, reason: "Pending", message: message, observedGeneration: generation, now: now)
        conditions.set(ConditionType.reconciling, .false, reason: reason, message: message, observedGeneration: generation, now: now)
        conditions.set(ConditionType.stalled, stalled ? .true : .false, reason: stalled ? reason : "NotStalled", message: stalled ? message : "",
                       observedGeneration: generation, now: now)
        conditions.set(ConditionType.awaitingApproval, .false, reason: "NoGateWaiting", message: "", observedGeneration: generation, now: now)
        conditions.set(ConditionType.paused, .false, reason: "NotPaused", message: "", observedGeneration: generation, now: now)
        status.conditions = conditions
        status.observedGeneration = generation
    }

    /// When to look again without a change: the earliest due poll, retry or deadline. Nothing
    /// to wait for (a gate, a pause, a stall) means nil: only a change (an annotation) helps.
    func requeueAfter() -> GoDuration? {
        if phase.isTerminal { return recheckAfter }
        var earliest: Timestamp?
        func consider(_ time: Timestamp) { if earliest.map({ time < $0 }) ?? true { earliest = time } }
        // In place: a copy of every in-flight resource would cost more than the step's decisions.
        let layers = status.layers ?? []
        for l in layers.indices {
            for r in layers[l].resources.indices where layers[l].resources[r].state == .starting || layers[l].resources[r].state == .inProgress {
                if let next = layers[l].resources[r].nextCheckTime { consider(next) }
                if let started = layers[l].resources[r].startTime { consider(started.adding(timeout(of: layers[l].resources[r]))) }
            }
        }
        if let timeout = spec.timeout, let started = status.startTime, !phase.isTerminal { consider(started.adding(timeout)) }
        guard let earliest else { return recheckAfter }
        let wait = GoDuration(milliseconds: max(0, earliest.milliseconds(since: now)))
        return recheckAfter.map { min($0, wait) } ?? wait
    }
}
