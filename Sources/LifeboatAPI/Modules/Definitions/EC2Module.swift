/// Starts and stops EC2 instances chosen by id or by the `Orchestrator:HostName` tag (MODULES.md).
enum EC2Module {
    static let descriptor = ModuleDescriptor(
        name: .ec2,
        summary: "Start EC2 instances (Instantiate, Activate) and stop them (Cleanup), by id or Orchestrator:HostName tag",
        supportedPhases: [.instantiate, .activate, .cleanup],
        defaultTimeout: .minutes(20),
        drillDefault: .execute,
        parameters: ObjectSchema(
            [
                .optional(EC2Parameters.Key.instanceIds.rawValue, .list(.string(.format(.ec2InstanceId)), ListRule(unique: .strings(severity: .warning))),
                          notes: "instances in the acting region"),
                .optional(EC2Parameters.Key.hostNames.rawValue, .list(.string(StringRule(maxLength: 256)), ListRule(unique: .strings(severity: .warning))),
                          notes: "instances whose tag Orchestrator:HostName has one of these values"),
            ],
            rules: [.atLeastOne([EC2Parameters.Key.instanceIds.rawValue, EC2Parameters.Key.hostNames.rawValue])],
            formerNames: ["Orchestrator_HostNames": EC2Parameters.Key.hostNames.rawValue]))
}

/// EC2's parameters as the module reads them; the keys are spelled once, here.
public struct EC2Parameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case instanceIds = "InstanceIds"
        case hostNames = "HostNames"
    }
    public var instanceIds: [String]
    /// Values of the instances' `Orchestrator:HostName` tag.
    public var hostNames: [String]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        instanceIds = try c.decodeIfPresent([String].self, forKey: .instanceIds) ?? []
        hostNames = try c.decodeIfPresent([String].self, forKey: .hostNames) ?? []
    }
}
