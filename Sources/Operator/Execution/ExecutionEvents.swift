import ControllerRuntime
import Engine
import Kube
import LifeboatAPI
import Logging

/// What people and dashboards learn of a step: the engine's Events as events.k8s.io/v1 Events
/// (one series per resource: the resource is `regarding.fieldPath`), a log line per Event keyed
/// by execution, layer and resource, and the DR metrics. Messages come from the engine, which
/// has already scrubbed resolved secrets out of module output.
struct ExecutionEvents: Sendable {
    let recorder: EventQueue?
    let metrics: LifeboatMetrics
    let logger: Logger

    func stepped(_ step: StepRecord) async {
        let execution = step.execution
        let reference = ObjectReference(execution, LifeboatKinds.executions)
        for event in step.result.events {
            var fields: [(String, LogValue)] = [("reason", .string(event.reason.rawValue))]
            if let subject = event.subject {
                let layers = execution.status?.layers ?? []
                if layers.contains(where: { $0.name == subject }) {
                    fields.append(("layer", .string(subject)))
                } else {
                    fields.append(("resource", .string(subject)))
                    if let layer = layers.first(where: { $0.resources.contains { $0.name == subject } }) {
                        fields.append(("layer", .string(layer.name)))
                    }
                }
            }
            let log = logger.with(fields: fields)
            event.kind == .warning ? log.warning(event.message) : log.info(event.message)
            recorder?.record(event.kind == .warning ? .warning : .normal, regarding: reference, subject: event.subject,
                                   reason: event.reason.rawValue, action: Self.action(of: event.reason), note: event.message)
            observe(event, in: execution)
        }
        if step.wroteStatus { metrics.executionPhase(execution) }
        if case .done = step.action { metrics.executionFinished(execution) }
    }

    /// Layer durations and gate waits, read from the status the step wrote.
    private func observe(_ event: EngineEvent, in execution: DRExecution) {
        switch event.reason {
        case .layerSucceeded, .layerFailed:
            if let name = event.subject ?? execution.status?.currentLayer,
               let layer = execution.status?.layers?.first(where: { $0.name == name }) {
                metrics.layerFinished(layer, of: execution)
            }
        case .gateApproved, .gateRejected:
            for gate in execution.status?.gates ?? [] where gate.decidedAt != nil && event.message.contains(gate.id) {
                metrics.gateDecided(gate)
            }
        default:
            break
        }
    }

    func ran(_ observations: [Observation], of execution: DRExecution) {
        let modules = Dictionary((execution.status?.plan?.snapshot?.allResources ?? []).map { ($0.name, $0.module) },
                                 uniquingKeysWith: { first, _ in first })
        for observation in observations {
            guard let module = modules[observation.resource] else { continue }
            metrics.moduleOperation(module, phase: execution.spec.phase, result: observation.outcome.metricResult)
        }
    }

    /// The Event's `action`: what the controller did or was doing.
    static func action(of reason: EngineEvent.Reason) -> String {
        switch reason {
        case .executionStarted, .planBusy, .invalidPlan, .guardRefused, .guardOverridden: "Admit"
        case .gateWaiting, .gateApproved, .gateRejected: "Gate"
        case .layerStarted, .layerSucceeded, .layerFailed: "RunLayer"
        case .resourceStarted, .resourceSucceeded, .resourceFailed, .resourceRetrying: "RunResource"
        case .paused, .resumed, .cancelled, .retrying: "Request"
        case .executionSucceeded, .executionFailed: "Finish"
        }
    }
}
