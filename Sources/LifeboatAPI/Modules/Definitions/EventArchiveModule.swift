/// Replays archived events onto a bus in the standby (MODULES.md). The replay name is a prefix:
/// the module appends a per-execution suffix so a retried or repeated run never collides.
enum EventArchiveModule {
    static let descriptor = ModuleDescriptor(
        name: .eventArchive,
        summary: "Replay an EventBridge archive onto a bus for a time window (Activate)",
        supportedPhases: [.activate],
        defaultTimeout: .hours(2),
        drillDefault: .skip,
        parameters: ObjectSchema(
            [
                .required("EventArchiveArn", .string(.format(.eventArchiveArn)), notes: "the archive replayed from"),
                .required("BusName", .string(StringRule(maxLength: 1600, format: .eventBusName)),
                          notes: "destination bus name or ARN in the acting region"),
                .required("StartTime", .timestamp, notes: "start of the replayed window"),
                .required("EndTime", .timestamp, notes: "end of the replayed window; after StartTime"),
                .optional("ReplayName", .string(StringRule(maxLength: 40, format: .eventName)),
                          notes: "prefix of the replay name; a per-execution suffix is appended"),
            ],
            rules: [
                .custom { object in
                    guard let startText = object.string("StartTime"), let endText = object.string("EndTime"),
                          let start = ParameterTimestamp(parsing: startText), let end = ParameterTimestamp(parsing: endText),
                          end <= start
                    else { return [] }
                    return [ValidationProblem(object.path("EndTime"), "EndTime \(endText) is not after StartTime \(startText)",
                                              hint: "the replay window must end after it starts")]
                },
            ]))
}
