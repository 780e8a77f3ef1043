import ControllerRuntime
import Engine
import LifeboatAPI

/// The DR metrics the operator exports besides the runtime's (docs/metrics.md). Labels are
/// bounded: phases, modes, modules and results are enums; the per-object gauges
/// (`lifeboat_execution_phase`, `lifeboat_plan_ready`) are removed with their object.
public struct LifeboatMetrics: Sendable {
    let registry: MetricsRegistry

    static let durationBuckets: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800]

    public init(registry: MetricsRegistry) { self.registry = registry }

    /// One series per execution, 1 for its current phase; the series of its other phases go.
    func executionPhase(_ execution: DRExecution) {
        let phase = execution.status?.phase ?? .pending
        for other in ExecutionPhase.allCases where other != phase {
            registry.remove("lifeboat_execution_phase", labels: labels(execution, other))
        }
        registry.gauge("lifeboat_execution_phase", help: "1 for the phase each DRExecution is in now",
                       labels: labels(execution, phase)).set(1)
    }

    func executionGone(_ execution: DRExecution) {
        for phase in ExecutionPhase.allCases { registry.remove("lifeboat_execution_phase", labels: labels(execution, phase)) }
    }

    private func labels(_ execution: DRExecution, _ phase: ExecutionPhase) -> KeyValuePairs<String, String> {
        ["execution": execution.name, "namespace": execution.namespace ?? "", "phase": phase.rawValue,
         "plan": execution.spec.planRef.name]
    }

    func executionFinished(_ execution: DRExecution) {
        guard let status = execution.status, let start = status.startTime, let end = status.completionTime else { return }
        registry.histogram("lifeboat_execution_duration_seconds", help: "How long finished executions ran, start to end",
                           buckets: Self.durationBuckets,
                           labels: ["mode": execution.spec.mode.rawValue, "phase": execution.spec.phase.rawValue,
                                    "result": (status.phase ?? .pending).rawValue])
            .observe(Double(end.milliseconds(since: start)) / 1000)
    }

    func layerFinished(_ layer: LayerStatus, of execution: DRExecution) {
        guard let start = layer.startTime, let end = layer.completionTime else { return }
        registry.histogram("lifeboat_layer_duration_seconds", help: "How long layers ran, first start to last resource final",
                           buckets: Self.durationBuckets,
                           labels: ["mode": execution.spec.mode.rawValue, "phase": execution.spec.phase.rawValue])
            .observe(Double(end.milliseconds(since: start)) / 1000)
    }

    func gateDecided(_ gate: Gate) {
        guard let requested = gate.requestedAt, let decided = gate.decidedAt else { return }
        registry.histogram("lifeboat_gate_wait_seconds", help: "How long gates waited for a person's decision",
                           buckets: [10, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400])
            .observe(Double(max(0, decided.milliseconds(since: requested))) / 1000)
    }

    func moduleOperation(_ module: ModuleName, phase: Phase, result: String) {
        registry.counter("lifeboat_module_operations_total", help: "Module calls (start, check, preflight) by outcome",
                         labels: ["module": module.rawValue, "phase": phase.rawValue, "result": result]).increment()
    }

    func planReady(_ plan: DRPlan, ready: Bool?) {
        let labels: KeyValuePairs<String, String> = ["namespace": plan.namespace ?? "", "plan": plan.name]
        guard let ready else { return registry.remove("lifeboat_plan_ready", labels: labels) }
        registry.gauge("lifeboat_plan_ready", help: "1 when the plan is Valid and its last readiness check passed",
                       labels: labels).set(ready ? 1 : 0)
    }

    func readinessCheck(_ module: ModuleName, result: String) {
        registry.counter("lifeboat_readiness_checks_total", help: "Readiness preflights of plan resources by result",
                         labels: ["module": module.rawValue, "result": result]).increment()
    }

    func readinessError() {
        registry.counter("lifeboat_readiness_check_errors_total",
                         help: "Readiness preflights that could not reach AWS (transient errors)").increment()
    }
}

extension Observation.Outcome {
    /// The `result` label of a module call.
    var metricResult: String {
        switch self {
        case .started: "started"
        case .checked(.inProgress): "in_progress"
        case .checked(.succeeded): "succeeded"
        case .checked(.failed): "failed"
        case .preflighted(let report): report.passed ? "ready" : "blocked"
        case .failed(let error): error.kind == .transient ? "error_transient" : "error_permanent"
        }
    }
}
