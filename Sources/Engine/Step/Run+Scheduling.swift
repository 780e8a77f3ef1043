import LifeboatAPI

extension Run {
    /// Whether new work may start now. Work already in flight is always tracked, whatever this says.
    var mayStartNewWork: Bool {
        stopReason == nil && waitingGate == nil && stall == nil && (phase == .running || phase == .awaitingApproval)
    }

    /// Layers strictly in order: the first layer that is not final is the only one with work.
    mutating func schedule() {
        guard status.layers != nil else { return }
        if let stopReason { cancelNotStarted(stopReason) }
        driveInFlight()
        while let l = status.layers!.firstIndex(where: { !$0.state.isFinalLayerState }) {
            if status.layers![l].state == .pending {
                guard mayStartNewWork, openLayer(l) else { break }
            }
            let failedFast = layerFailedFast(l)
            if failedFast { cancelPending(inLayer: l, message: "not started: a resource of layer \(status.layers![l].name) failed") }
            if mayStartNewWork && !failedFast { startPending(inLayer: l) }
            guard status.layers![l].resources.allSatisfy(\.state.isFinal) else { break }
            closeLayer(l, failed: failedFast)
            if failedFast {
                cancelNotStarted(nil, reason: "not started: layer \(status.layers![l].name) failed")
                break
            }
        }
    }

    /// Opens a pending layer, through its gate if it has `pauseBefore`. Returns whether it opened.
    private mutating func openLayer(_ l: Int) -> Bool {
        let layer = status.layers![l]
        if snapshot?.layers.first(where: { $0.name == layer.name })?.pauseBefore == true {
            switch decide(gate: "layer-\(layer.name)") {
            case .waiting: return false
            case .rejected:
                cancelNotStarted(stopReason ?? .rejected(gate: "layer-\(layer.name)"))
                return false
            case .approved: break
            }
        }
        status.layers![l].state = .running
        status.layers![l].startTime = now
        let count = layer.resources.filter { !$0.state.isFinal }.count
        emit(.normal, .layerStarted, "layer \(layer.name) started: \(count) resource\(count == 1 ? "" : "s")", subject: layer.name)
        return true
    }

    /// A resource that failed with `onError: Fail` stops its layer from starting anything else.
    private func layerFailedFast(_ l: Int) -> Bool {
        status.layers![l].resources.contains { resource in
            resource.state == .failed && (planResource(resource.name)?.onError ?? .fail) == .fail
        }
    }

    private mutating func startPending(inLayer l: Int) {
        let limit = snapshot?.layers.first { $0.name == status.layers![l].name }?.maxConcurrency ?? 0
        var running = 0
        for resource in status.layers![l].resources.indices {
            let state = status.layers![l].resources[resource].state
            if state == .starting || state == .inProgress { running += 1 }
        }
        for r in status.layers![l].resources.indices where status.layers![l].resources[r].state == .pending {
            if limit > 0 && running >= limit { break }
            var resource = status.layers![l].resources[r]
            resource.state = .starting
            resource.attempts = (resource.attempts ?? 0) + 1
            resource.startTime = resource.startTime ?? now
            resource.transientErrors = nil
            resource.nextCheckTime = nil
            resource.message = resource.action == .validate ? "running preflight (drill: Validate)" : "starting"
            status.layers![l].resources[r] = resource
            effects.append(intent(for: resource))
            running += 1
        }
    }

    /// Work that may be under way in AWS is never abandoned, even when paused or cancelling:
    /// `Starting` (intent recorded, outcome unknown) is driven again through the idempotent
    /// start once any backoff has passed; `InProgress` is polled when due.
    private mutating func driveInFlight() {
        for l in status.layers!.indices {
            for r in status.layers![l].resources.indices {
                // Most resources are not in flight: look before copying one.
                let state = status.layers![l].resources[r].state
                guard state == .starting || state == .inProgress else { continue }
                var resource = status.layers![l].resources[r]
                let due = resource.nextCheckTime.map { $0 <= now } ?? true
                switch resource.state {
                case .starting where due:
                    resource.attempts = (resource.attempts ?? 0) + 1
                    resource.nextCheckTime = nil
                    status.layers![l].resources[r] = resource
                    effects.append(intent(for: resource))
                case .inProgress where due:
                    effects.append(.check(resource: resource.name, attempt: resource.attempts ?? 1, checkpoint: resource.checkpoint ?? .null))
                default:
                    break
                }
            }
        }
    }

    private func intent(for resource: ResourceStatus) -> Effect {
        let attempt = resource.attempts ?? 1
        return resource.action == .validate ? .preflight(resource: resource.name, attempt: attempt)
                                            : .start(resource: resource.name, attempt: attempt)
    }

    private mutating func closeLayer(_ l: Int, failed: Bool) {
        let layer = status.layers![l]
        let states = layer.resources.map(\.state)
        let newState: LayerStatus.State =
            failed ? .failed
            : states.contains(.cancelled) ? .cancelled
            : states.allSatisfy({ $0 == .skipped }) ? .skipped
            : .succeeded
        status.layers![l].state = newState
        status.layers![l].completionTime = layer.startTime == nil ? nil : now
        switch newState {
        case .failed:
            let failures = layer.resources.filter { $0.state == .failed }.map(\.name).joined(separator: ", ")
            emit(.warning, .layerFailed, "layer \(layer.name) failed: \(failures)", subject: layer.name)
        case .succeeded:
            let continued = layer.resources.filter { $0.state == .failed }.map(\.name)
            let note = continued.isEmpty ? "" : " (continued past failed: \(continued.joined(separator: ", ")))"
            emit(.normal, .layerSucceeded, "layer \(layer.name) succeeded\(note)", subject: layer.name)
        default:
            break
        }
    }

    private mutating func cancelPending(inLayer l: Int, message: String) {
        for r in status.layers![l].resources.indices where status.layers![l].resources[r].state == .pending {
            status.layers![l].resources[r].state = .cancelled
            status.layers![l].resources[r].message = message
        }
    }

    /// Marks every resource that has not started as Cancelled, and layers that never opened too.
    mutating func cancelNotStarted(_ stop: StopReason?, reason: String? = nil) {
        let message = reason ?? stop?.notStartedMessage ?? "not started"
        for l in status.layers!.indices {
            cancelPending(inLayer: l, message: message)
            if status.layers![l].state == .pending {
                status.layers![l].state = .cancelled
            } else if status.layers![l].state == .running, status.layers![l].resources.allSatisfy(\.state.isFinal) {
                let failed = layerFailedFast(l)
                closeLayer(l, failed: failed)
            }
        }
        if let stop, stopReason == nil { stopReason = stop }
        waitingGate = nil
    }
}

extension LayerStatus.State {
    var isFinalLayerState: Bool { self != .pending && self != .running }
}
