import Engine
import EngineTesting
import LifeboatAPI
import YAML

/// Small plans and executions for engine tests. Module parameters are valid for their modules,
/// so the engine's own plan validation passes.
enum Fixtures {
    static func resource(_ name: String, _ module: ModuleName = .ec2, onError: OnError = .fail,
                         drill: DrillBehaviour? = nil, timeout: GoDuration? = nil) -> Resource {
        Resource(name: name, module: module, timeout: timeout, onError: onError, drill: drill, parameters: parameters(for: module, name))
    }

    static func parameters(for module: ModuleName, _ name: String) -> JSONValue {
        switch module {
        case .autoScaling: ["AutoScalingGroupNames": [.string(name)], "DesiredCount": 2]
        case .ec2: ["HostNames": [.string(name)]]
        case .r53Record:
            ["Items": [["HostedZoneId": "Z0123456789ABC", "R53RecordName": .string("\(name).example.com"), "RecordType": "CNAME",
                        "RecordValue": "target.example.com"]]]
        case .lambdaFunction: ["FunctionName": .string(name)]
        case .auroraMySQL: ["GlobalClusterIdentifier": "orders-global", "DBClusterIdentifier": .string(name), "DBInstanceIdentifier": [.string("\(name)-1")]]
        default: ["AutoScalingGroupNames": [.string(name)], "DesiredCount": 2]
        }
    }

    static func plan(_ layers: [Layer], approvals: ApprovalPolicy = ApprovalPolicy(phases: [], drills: .automatic)) -> DRPlan {
        DRPlan(metadata: ObjectMeta(name: "payments", namespace: "dr"),
               spec: DRPlanSpec(regions: RegionPair(primary: "us-east-1", secondary: "us-west-2"),
                                accounts: AccountSettings(default: "111111111111"), approvals: approvals, layers: layers))
    }

    static func execution(_ name: String = "run-1", phase: Phase = .instantiate, mode: ExecutionMode = .drill,
                          direction: Direction = .failover, resources: [String]? = nil, timeout: GoDuration? = nil,
                          annotations: [String: String] = [:]) -> DRExecution {
        var metadata = ObjectMeta(name: name, namespace: "dr", annotations: annotations)
        metadata.uid = "uid-\(name)"
        metadata.generation = 1
        return DRExecution(metadata: metadata, spec: DRExecutionSpec(planRef: PlanReference(name: "payments"), phase: phase,
                                                                     mode: mode, direction: direction, resources: resources, timeout: timeout))
    }

    static func driver(_ execution: DRExecution, _ plan: DRPlan, cloud: SimulatedCloud, planState: PlanState = PlanState()) -> SimulationDriver {
        SimulationDriver(execution: execution, plan: plan, planState: planState,
                         executor: EffectExecutor(registry: SimulatedModule.registry(cloud: cloud)))
    }
}

extension DRExecutionStatus {
    func resource(_ name: String) -> ResourceStatus? { layers?.flatMap(\.resources).first { $0.name == name } }
    func layer(_ name: String) -> LayerStatus? { layers?.first { $0.name == name } }
    func condition(_ type: String) -> Condition? { conditions?[type: type] }
}
