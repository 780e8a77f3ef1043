import Engine
import LifeboatAPI
import YAML

/// `drctl run -o json|yaml`: how a run ended, as one object a script can read without parsing
/// sentences — the execution, what it ran, the result, and each layer's and resource's state.
/// (`drctl status -o json` gives the whole DRExecution, checkpoints and conditions included.)
enum RunOutcomeReport {
    static func json(_ execution: DRExecution, stateDirectory: String, stall: (reason: String, message: String)? = nil) -> JSONValue {
        let spec = execution.spec
        let status = execution.status ?? DRExecutionStatus()
        var object: JSONObject = [
            "execution": .string(execution.metadata.name ?? ""),
            "plan": .string(spec.planRef.name),
            "phase": .string(spec.phase.rawValue),
            "mode": .string(spec.mode.rawValue),
            "direction": .string(spec.direction.rawValue),
            "strategy": .string(spec.strategy.rawValue),
            "result": .string((status.phase ?? .pending).rawValue),
            "stateDirectory": .string(stateDirectory),
        ]
        if let namespace = execution.metadata.namespace { object["namespace"] = .string(namespace) }
        if let message = status.conditions?[type: ConditionType.succeeded]?.message, !message.isEmpty { object["message"] = .string(message) }
        if let stall { object["stalled"] = ["reason": .string(stall.reason), "message": .string(stall.message)] }
        if let start = status.startTime { object["startTime"] = .string(start.description) }
        if let end = status.completionTime { object["completionTime"] = .string(end.description) }
        if let region = status.actingRegion { object["actingRegion"] = .string(region) }
        object["layers"] = .array((status.layers ?? []).map { layer in
            .object(["name": .string(layer.name), "state": .string(layer.state.rawValue),
                     "resources": .array(layer.resources.map(resource))])
        })
        return .object(object)
    }

    private static func resource(_ resource: ResourceStatus) -> JSONValue {
        var object: JSONObject = ["name": .string(resource.name), "module": .string(resource.module.rawValue),
                                  "state": .string(resource.state.rawValue)]
        if let message = resource.message { object["message"] = .string(message) }
        if let code = resource.errorCode { object["errorCode"] = .string(code) }
        if let attempts = resource.attempts { object["attempts"] = .int(attempts) }
        return .object(object)
    }
}
