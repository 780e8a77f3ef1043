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
                .optional("InstanceIds", .list(.string(.format(.ec2InstanceId)), ListRule(unique: .strings(severity: .warning))),
                          notes: "instances in the acting region"),
                .optional("HostNames", .list(.string(StringRule(maxLength: 256)), ListRule(unique: .strings(severity: .warning))),
                          notes: "instances whose tag Orchestrator:HostName has one of these values"),
            ],
            rules: [.atLeastOne(["InstanceIds", "HostNames"])],
            formerNames: ["Orchestrator_HostNames": "HostNames"]))
}
