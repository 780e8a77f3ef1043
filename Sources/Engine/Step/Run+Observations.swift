import LifeboatAPI

extension Run {
    /// Index of a resource in `status.layers`.
    func locate(_ name: String) -> (layer: Int, resource: Int)? { position(of: name) }

    /// The resource as planned: found at its status position without a second name index, or
    /// by name in the snapshot when the two do not line up.
    func planResource(_ name: String) -> Resource? {
        ResourcePositions.planned(name, at: position(of: name), in: snapshot)
            ?? plannedPosition(of: name).map { snapshot!.layers[$0.layer].resources[$0.resource] }
    }

    /// Folds the effects' results into status. An observation for another attempt than the one
    /// on record is stale (it answers an effect from before a restart) and is ignored.
    mutating func applyObservations() {
        for observation in input.observations {
            guard let (l, r) = locate(observation.resource) else { continue }
            let current = status.layers![l].resources[r]
            guard current.attempts == observation.attempt, current.state == .starting || current.state == .inProgress else { continue }
            var resource = current
            switch (current.state, observation.outcome) {
            case (.starting, .started(let started)):
                resource.state = .inProgress
                resource.checkpoint = started.checkpoint
                resource.message = started.message ?? "started"
                resource.transientErrors = nil
                resource.nextCheckTime = now
                emit(.normal, .resourceStarted, "\(resource.name) (\(resource.module)): \(resource.message!)", subject: resource.name)
            case (.starting, .preflighted(let report)):
                if report.passed { succeed(&resource, message: report.summary) }
                else { fail(&resource, reason: "preflight found blocking problems: \(report.summary)", code: "PreflightFailed") }
            case (.inProgress, .checked(.inProgress(let message, let hint, let checkpoint))):
                resource.message = message
                if let checkpoint { resource.checkpoint = checkpoint }
                resource.transientErrors = nil
                resource.nextCheckTime = now.adding(pollInterval(hint))
            case (.inProgress, .checked(.succeeded(let message, let checkpoint))):
                if let checkpoint { resource.checkpoint = checkpoint }
                succeed(&resource, message: message)
            case (.inProgress, .checked(.failed(let reason, let code))):
                fail(&resource, reason: reason, code: code)
            case (_, .failed(let error)) where error.kind == .transient:
                let errors = (resource.transientErrors ?? 0) + 1
                let delay = Backoff.delay(attempt: errors, base: settings.retryBase, cap: settings.retryCap,
                                          seed: "\(input.execution.metadata.uid ?? name)/\(resource.name)/\(resource.attempts ?? 0)")
                resource.transientErrors = errors
                resource.nextCheckTime = now.adding(delay)
                resource.errorCode = error.code
                resource.message = "transient error, retrying in \(delay) (\(errors) so far): \(error)"
                emit(.warning, .resourceRetrying, "\(resource.name): \(resource.message!)", subject: resource.name)
            case (_, .failed(let error)):
                fail(&resource, reason: error.message, code: error.code)
            default:
                continue  // an outcome that does not fit the state (a start answer while polling): ignore
            }
            status.layers![l].resources[r] = resource
        }
    }

    private func pollInterval(_ hint: GoDuration?) -> GoDuration {
        min(max(hint ?? settings.defaultPollInterval, settings.minimumPollInterval), settings.maximumPollInterval)
    }

    mutating func succeed(_ resource: inout ResourceStatus, message: String) {
        resource.state = .succeeded
        resource.message = message
        resource.completionTime = now
        resource.nextCheckTime = nil
        resource.transientErrors = nil
        resource.errorCode = nil
        emit(.normal, .resourceSucceeded, "\(resource.name) (\(resource.module)): \(message)", subject: resource.name)
    }

    mutating func fail(_ resource: inout ResourceStatus, reason: String, code: String?) {
        resource.state = .failed
        resource.message = reason
        resource.errorCode = code
        resource.completionTime = now
        resource.nextCheckTime = nil
        let coded = code.map { " [\($0)]" } ?? ""
        emit(.warning, .resourceFailed, "\(resource.name) (\(resource.module)) failed\(coded): \(reason)", subject: resource.name)
    }

    /// Per-resource timeouts (from the resource's first start) and the whole run's deadline.
    /// A timed-out resource fails, but its checkpoint stays in status: the AWS operation may
    /// still be running, and the message says so rather than pretending it stopped.
    mutating func enforceDeadlines() {
        for l in status.layers?.indices ?? [].indices {
            for r in status.layers![l].resources.indices {
                let state = status.layers![l].resources[r].state
                guard state == .starting || state == .inProgress else { continue }  // look before copying
                guard let started = status.layers![l].resources[r].startTime,
                      let planned = planResource(status.layers![l].resources[r].name) else { continue }
                let timeout = planned.timeout ?? ModuleCatalog.descriptor(for: planned.module).defaultTimeout
                guard now >= started.adding(timeout) else { continue }
                var resource = status.layers![l].resources[r]
                let running = resource.state == .inProgress ? "; the AWS operation may still be running (see checkpoint)" : ""
                fail(&resource, reason: "timed out after \(timeout)\(running)", code: "TimedOut")
                status.layers![l].resources[r] = resource
            }
        }
        if let timeout = spec.timeout, let started = status.startTime, now >= started.adding(timeout), stopReason == nil {
            stopReason = .runTimedOut
        }
    }

    func timeout(of resource: ResourceStatus) -> GoDuration {
        planResource(resource.name)?.timeout ?? ModuleCatalog.descriptor(for: resource.module).defaultTimeout
    }
}

/// Capped exponential backoff with jitter. The jitter is derived from a seed (execution,
/// resource, attempt) instead of a random number generator: the engine stays a pure function,
/// and runs of different resources still spread out.
enum Backoff {
    static func delay(attempt: Int, base: GoDuration, cap: GoDuration, seed: String) -> GoDuration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(Double(cap.milliseconds), Double(base.milliseconds) * Double(1 << exponent))
        let jitter = 0.5 + 0.5 * unitInterval(seed)
        return GoDuration(milliseconds: Int64((ceiling * jitter).rounded()))
    }

    /// FNV-1a of the seed, mapped to [0, 1).
    static func unitInterval(_ seed: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Double(hash >> 11) / Double(1 << 53)
    }
}
