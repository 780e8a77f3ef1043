import Engine
import EngineTesting
import LifeboatAPI

/// The engine's rules as invariants over everything a driver wrote (`SimulationDriver.trace`):
/// each status on its own, and each status against the one written before it (which, after a
/// crash, is the one the restarted process read back). Returns the violations in words, empty
/// when every rule held.
enum Invariants {
    typealias Entry = SimulationDriver.TraceEntry

    static func check(_ trace: [Entry], spec: DRExecutionSpec) -> [String] {
        // The snapshot is fixed once the run is admitted: index it once.
        let layout = trace.lazy.compactMap { $0.status.plan?.snapshot }.first.map(Layout.init)
        var problems: [String] = []
        for (index, entry) in trace.enumerated() {
            var found = entryProblems(entry, spec: spec, layout: layout)
            if index > 0 { found += transitionProblems(from: trace[index - 1], to: entry) }
            problems += found.map { "status #\(index): \($0)" }
        }
        return problems
    }

    /// Where each resource of the snapshot is, and what it does on error.
    struct Layout {
        var layerOf: [String: Int] = [:]
        var onError: [String: OnError] = [:]

        init(_ snapshot: DRPlanSpec) {
            for (l, layer) in snapshot.layers.enumerated() {
                for resource in layer.resources {
                    layerOf[resource.name] = l
                    onError[resource.name] = resource.onError
                }
            }
        }
    }

    // MARK: one status

    static func entryProblems(_ entry: Entry, spec: DRExecutionSpec, layout: Layout?) -> [String] {
        let status = entry.status
        guard let layers = status.layers, let snapshot = status.plan?.snapshot, let layout else {
            return entry.effects.isEmpty ? [] : ["effects before the run was admitted: \(entry.effects)"]
        }
        var problems: [String] = []
        let resources = layers.flatMap(\.resources)
        let layerOf = layout.layerOf

        // Intent before effect: every effect answers the attempt the written status records.
        for effect in entry.effects {
            guard let resource = resources.first(where: { $0.name == effect.resource }) else {
                problems.append("effect for unknown resource: \(effect)"); continue
            }
            let expected: (ResourceStatus.State, DrillBehaviour?) = switch effect {
            case .start: (.starting, .execute)
            case .preflight: (.starting, .validate)
            case .check: (.inProgress, .execute)
            }
            if resource.state != expected.0 || resource.attempts != effect.attempt || resource.action != expected.1 {
                problems.append("\(effect) but status records \(resource.name) \(resource.state) attempt \(resource.attempts ?? 0) action \(resource.action.map { "\($0)" } ?? "-")")
            }
        }

        // Layers never overlap; concurrency stays within maxConcurrency.
        let running = layers.indices.filter { layers[$0].state == .running }
        if running.count > 1 { problems.append("layers \(running.map { layers[$0].name }) run at once") }
        for (l, layer) in layers.enumerated() {
            let inFlight = layer.resources.filter(\.isInFlight)
            if !inFlight.isEmpty, layer.state != .running { problems.append("layer \(layer.name) is \(layer.state) with work in flight") }
            if layer.state == .running || !inFlight.isEmpty {
                for earlier in layers[..<l] where !earlier.state.isFinalLayer || !earlier.resources.allSatisfy(\.state.isFinal) {
                    problems.append("layer \(layer.name) runs before layer \(earlier.name) finished")
                }
            }
            let limit = snapshot.layers[l].maxConcurrency
            if limit > 0, inFlight.count > limit { problems.append("layer \(layer.name): \(inFlight.count) in flight, maxConcurrency \(limit)") }
        }

        // A resource that failed with onError: Fail stops every later layer.
        if let failFast = layers.indices.first(where: { l in
            layers[l].resources.contains { $0.state == .failed && layout.onError[$0.name] == .fail }
        }) {
            for later in layers[(failFast + 1)...] where later.resources.contains(where: \.isInFlight) || later.state == .running {
                problems.append("layer \(later.name) runs after a fail-fast failure in layer \(layers[failFast].name)")
            }
            for effect in entry.effects where (layerOf[effect.resource] ?? 0) > failFast {
                problems.append("\(effect) after a fail-fast failure in layer \(layers[failFast].name)")
            }
        }

        // A waiting gate blocks: nothing behind a gate has ever started unless it is approved.
        let gates = Dictionary(uniqueKeysWithValues: (status.gates ?? []).map { ($0.id, $0.state) })
        let policy = snapshot.approvals
        let startGateRequired = policy.phases.contains(spec.phase) && !(spec.mode == .drill && policy.drills == .automatic)
        for resource in resources where resource.startTime != nil {
            if startGateRequired, gates[Gate.startID] != .approved { problems.append("\(resource.name) started while gate start is \(gates[Gate.startID].map { "\($0)" } ?? "absent")") }
            let layer = snapshot.layers[layerOf[resource.name]!]
            if layer.pauseBefore, gates[layer.gateID] != .approved { problems.append("\(resource.name) started while gate \(layer.gateID) is not approved") }
        }
        if gates[Gate.startID] == .waiting, !entry.effects.isEmpty { problems.append("effects while gate start waits: \(entry.effects)") }

        // Pause and cancel never abandon in-flight work: a run is paused or over only once
        // nothing is in flight.
        let phase = status.phase ?? .pending
        if phase == .paused || phase.isTerminal, let busy = resources.first(where: \.isInFlight) {
            problems.append("\(phase) with \(busy.name) still \(busy.state)")
        }
        problems += progressProblems(status)
        return problems
    }

    /// Progress counts agree with the resources' states (and add up to the total).
    static func progressProblems(_ status: DRExecutionStatus) -> [String] {
        guard let layers = status.layers, let progress = status.progress else { return [] }
        var counts: [ResourceStatus.State: Int] = [:]
        for layer in layers { for resource in layer.resources { counts[resource.state, default: 0] += 1 } }
        let expected = Progress(total: counts.values.reduce(0, +), succeeded: counts[.succeeded] ?? 0, failed: counts[.failed] ?? 0,
                                running: (counts[.starting] ?? 0) + (counts[.inProgress] ?? 0), pending: counts[.pending] ?? 0,
                                skipped: counts[.skipped] ?? 0, cancelled: counts[.cancelled] ?? 0)
        let sum = progress.succeeded + progress.failed + progress.running + progress.pending + progress.skipped + progress.cancelled
        return progress == expected && sum == progress.total ? [] : ["progress \(progress) disagrees with the resources (\(expected))"]
    }

    // MARK: one status to the next

    static func transitionProblems(from previous: Entry, to entry: Entry) -> [String] {
        let before = previous.status, after = entry.status
        var problems: [String] = []
        // Only a new retry token may send failed or not-started work back to Pending.
        let retried = after.lastHandled?.retry != before.lastHandled?.retry
        if (before.phase ?? .pending).isTerminal, !(after.phase ?? .pending).isTerminal, !retried {
            problems.append("phase \(before.phase!) -> \(after.phase!) without a retry")
        }
        let old = Dictionary(uniqueKeysWithValues: (before.layers ?? []).flatMap(\.resources).map { ($0.name, $0) })
        let stopped = [ExecutionPhase.pausing, .paused, .cancelling, .cancelled].contains(after.phase ?? .pending)
        for resource in (after.layers ?? []).flatMap(\.resources) {
            guard let was = old[resource.name] else { continue }
            let name = resource.name
            if (resource.attempts ?? 0) < (was.attempts ?? 0) { problems.append("\(name): attempts went back") }
            if was.isInFlight, !resource.isInFlight, resource.state != .succeeded, resource.state != .failed {
                problems.append("\(name): abandoned in flight (\(was.state) -> \(resource.state))")
            }
            if was.state == .pending, resource.state == .starting, stopped {
                problems.append("\(name): started while the run is \(after.phase!)")
            }
            if resource.state.rank < was.state.rank || (was.state.isFinal && resource.state != was.state) {
                // A retry sends failed and not-started work back to Pending; in the same step it
                // may start again, or be cancelled by a cancel request that arrived with it.
                let allowed = retried && [.pending, .starting, .cancelled].contains(resource.state)
                    && (was.state == .failed || was.state == .cancelled)
                if !allowed { problems.append("\(name): moved backwards \(was.state) -> \(resource.state)") }
            }
        }
        for (l, layer) in (after.layers ?? []).enumerated() {
            guard let was = before.layers?[l] else { continue }
            let back = layer.state.rank < was.state.rank || (was.state.isFinalLayer && layer.state != was.state)
            if back, !retried { problems.append("layer \(layer.name): moved backwards \(was.state) -> \(layer.state)") }
        }
        // Gates are decided once, and only by a person's annotation.
        let approvals = gateList(entry.annotations[LifeboatAnnotation.approve])
        let rejections = gateList(entry.annotations[LifeboatAnnotation.reject])
        for gate in after.gates ?? [] {
            let was = before.gates?.first { $0.id == gate.id }?.state
            if let was, was != .waiting, gate.state != was { problems.append("gate \(gate.id): decided \(was), now \(gate.state)") }
            if was != gate.state, gate.state == .approved, !approvals.contains(gate.id) { problems.append("gate \(gate.id) approved without an approval") }
            if was != gate.state, gate.state == .rejected, !rejections.contains(gate.id) { problems.append("gate \(gate.id) rejected without a rejection") }
        }
        return problems
    }

    /// The gate ids of an approve or reject annotation.
    static func gateList(_ value: String?) -> Set<String> {
        Set((value ?? "").split(separator: ",").map { String($0.filter { $0 != " " }) })
    }
}

extension ResourceStatus {
    var isInFlight: Bool { state == .starting || state == .inProgress }
}

extension ResourceStatus.State {
    /// Forward order: Pending, Starting, InProgress, then one final state.
    var rank: Int {
        switch self {
        case .pending: 0
        case .starting: 1
        case .inProgress: 2
        case .succeeded, .failed, .skipped, .cancelled: 3
        }
    }
}

extension LayerStatus.State {
    var isFinalLayer: Bool { self != .pending && self != .running }
    var rank: Int { self == .pending ? 0 : self == .running ? 1 : 2 }
}
