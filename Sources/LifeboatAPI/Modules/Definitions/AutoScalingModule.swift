/// EC2 Auto Scaling groups scaled up for the standby and back to zero (MODULES.md).
enum AutoScalingModule {
    static let descriptor = ModuleDescriptor(
        name: .autoScaling,
        summary: "Scale EC2 Auto Scaling groups to DesiredCount (Instantiate) and to 0 (Cleanup)",
        supportedPhases: [.instantiate, .cleanup],
        defaultTimeout: .minutes(30),
        drillDefault: .execute,
        parameters: ObjectSchema([
            .required(AutoScalingParameters.Key.autoScalingGroupNames.rawValue,
                      .list(.string(StringRule(maxLength: 255, format: .autoScalingGroupName)),
                            ListRule(unique: .strings(severity: .warning))),
                      notes: "groups in the acting region"),
            .required(AutoScalingParameters.Key.desiredCount.rawValue, .integer(.atLeast(0)),
                      notes: "min and desired capacity set by Instantiate (max is raised when lower); Cleanup sets 0"),
        ],
        // The enterprise code read this casing.
        formerNames: ["Autoscalinggroupnames": AutoScalingParameters.Key.autoScalingGroupNames.rawValue]))
}

/// AutoScaling's parameters as the module reads them; the keys are spelled once, here.
public struct AutoScalingParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case autoScalingGroupNames = "AutoScalingGroupNames"
        case desiredCount = "DesiredCount"
    }
    public var autoScalingGroupNames: [String]
    public var desiredCount: Int

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        autoScalingGroupNames = try c.decode([String].self, forKey: .autoScalingGroupNames)
        desiredCount = try c.decode(Int.self, forKey: .desiredCount)
    }
}
