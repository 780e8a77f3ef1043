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
                .required(EventArchiveParameters.Key.eventArchiveArn.rawValue, .string(.format(.eventArchiveArn)), notes: "the archive replayed from"),
                .required(EventArchiveParameters.Key.busName.rawValue, .string(StringRule(maxLength: 1600, format: .eventBusName)),
                          notes: "destination bus name or ARN in the acting region"),
                .required(EventArchiveParameters.Key.startTime.rawValue, .timestamp, notes: "start of the replayed window"),
                .required(EventArchiveParameters.Key.endTime.rawValue, .timestamp, notes: "end of the replayed window; after StartTime"),
                .optional(EventArchiveParameters.Key.replayName.rawValue, .string(StringRule(maxLength: 40, format: .eventName)),
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

/// EventArchive's parameters as the module reads them; the keys are spelled once, here.
public struct EventArchiveParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case eventArchiveArn = "EventArchiveArn"
        case busName = "BusName"
        case startTime = "StartTime"
        case endTime = "EndTime"
        case replayName = "ReplayName"
    }
    public var eventArchiveArn: String
    public var busName: String
    public var startTime: ParameterTimestamp
    public var endTime: ParameterTimestamp
    /// The prefix of the replay's name (the module appends a per-execution suffix).
    public var replayName: String?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        eventArchiveArn = try container.decode(String.self, forKey: .eventArchiveArn)
        busName = try container.decode(String.self, forKey: .busName)
        startTime = try Self.timestamp(container, .startTime)
        endTime = try Self.timestamp(container, .endTime)
        replayName = try container.decodeIfPresent(String.self, forKey: .replayName)
    }

    private static func timestamp(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> ParameterTimestamp {
        let text = try container.decode(String.self, forKey: key)
        guard let value = ParameterTimestamp(parsing: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\(text) is not a timestamp; \(ParameterTimestamp.formatHint)")
        }
        return value
    }
}
