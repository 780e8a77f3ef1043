import LifeboatAPI
import YAML

/// An execution as a person reads it: header, layers and resources with their states and
/// elapsed times, gates, and what to do next. The live view of `drctl run` shows it compact
/// (resources only of layers at work or failed); `drctl status` shows everything.
struct ExecutionView {
    let execution: DRExecution
    let now: Timestamp
    /// The commands people run about this directory (approve a gate, see the details).
    let hints: RunHints
    var compact = false

    var status: DRExecutionStatus { execution.status ?? DRExecutionStatus() }
    var name: String { execution.metadata.name ?? "execution" }

    var lines: [String] {
        let spec = execution.spec
        let phase = status.phase ?? .pending
        var out = ["Execution \(name)",
                   "  \(spec.mode) \(spec.phase) (\(spec.direction), \(spec.strategy)) of plan \(spec.planRef.name)"
                       + (status.actingRegion.map { ", acting in \($0)" } ?? "")]
        var summary = "  \(phase.rawValue)"
        if let progress = status.progress { summary += " · \(progress.summary ?? "") finished" }
        if let started = status.startTime { summary += " · \(Self.elapsed(from: started, to: status.completionTime ?? now))" }
        out.append(summary)
        let layerWidth = max(5, (status.layers ?? []).map(\.name.count).max() ?? 0)
        let resourceWidth = max(8, (status.layers ?? []).flatMap(\.resources).map(\.name.count).max() ?? 0)
        for layer in status.layers ?? [] {
            out.append("  layer " + Self.pad(layer.name, layerWidth) + "  " + Self.pad(layer.state.rawValue, 10)
                       + (layer.startTime.map { "  " + Self.elapsed(from: $0, to: layer.completionTime ?? now) } ?? ""))
            let expand = !compact || layer.state == .running || layer.state == .failed
            if expand {
                for resource in layer.resources {
                    var line = "    " + Self.pad(resource.name, resourceWidth) + "  " + Self.pad(resource.module.rawValue, 17)
                        + "  " + Self.pad(resource.state.rawValue, 10)
                    line += "  " + Self.pad(resource.startTime.map { Self.elapsed(from: $0, to: resource.completionTime ?? now) } ?? "", 7)
                    if let message = resource.message {
                        line += "  " + (resource.errorCode.map { "[\($0)] " } ?? "") + message
                    }
                    out.append(line)
                }
            } else {
                let counts = Dictionary(grouping: layer.resources, by: \.state).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
                out.append("    " + counts.joined(separator: ", "))
            }
        }
        for gate in status.gates ?? [] {
            var line = "  gate \(gate.id): \(gate.state.rawValue)"
            if let who = gate.decidedBy { line += " by \(who)" }
            if gate.state == .waiting { line += " — approve with: \(hints.approve(gate.id))" }
            out.append(line)
        }
        if let override = status.guardOverride { out.append("  phase-order guard overridden: \(override.reason)") }
        return out.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    /// The conditions that say something a person should read (used by `drctl status`).
    var conditionLines: [String] {
        (status.conditions ?? []).filter { !$0.message.isEmpty && ($0.status == .true || $0.type == "Succeeded") }
            .map { "  \($0.type)=\($0.status.rawValue) (\($0.reason)): \(RunHints.guardReason($0.message))" }
    }

    /// The failed resources with their reasons, for the end of a failed run.
    var failureLines: [String] {
        (status.layers ?? []).flatMap(\.resources).filter { $0.state == .failed }.map { resource in
            "  \(resource.name) (\(resource.module)) failed\(resource.errorCode.map { " [\($0)]" } ?? ""): \(resource.message ?? "no reason given")"
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// `850ms`, `4.2s`, `2m05s`, `1h02m`.
    static func elapsed(from start: Timestamp, to end: Timestamp) -> String {
        let ms = max(0, end.milliseconds(since: start))
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 { return "\(ms / 1000).\(ms % 1000 / 100)s" }
        let seconds = ms / 1000
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if seconds < 3600 { return "\(seconds / 60)m\(two(seconds % 60))s" }
        return "\(seconds / 3600)h\(two(seconds % 3600 / 60))m"
    }
}
