/// EC2 Auto Scaling groups scaled up for the standby and back to zero (MODULES.md).
enum AutoScalingModule {
    static let descriptor = ModuleDescriptor(
        name: .autoScaling,
        summary: "Scale EC2 Auto Scaling groups to DesiredCount (Instantiate) and to 0 (Cleanup)",
        supportedPhases: [.instantiate, .cleanup],
        defaultTimeout: .minutes(30),
        drillDefault: .execute,
        parameters: ObjectSchema([
            .required("AutoScalingGroupNames",
                      .list(.string(StringRule(maxLength: 255, format: .autoScalingGroupName)),
                            ListRule(unique: .strings(severity: .warning))),
                      notes: "groups in the acting region"),
            .required("DesiredCount", .integer(.atLeast(0)),
                      notes: "min and desired capacity set by Instantiate (max is raised when lower); Cleanup sets 0"),
        ],
        // The enterprise code read this casing.
        formerNames: ["Autoscalinggroupnames": "AutoScalingGroupNames"]))
}
