@testable import Logging
import Testing

final class CollectingSink: LogSink, @unchecked Sendable {
    private(set) var records: [LogRecord] = []
    func write(_ record: LogRecord) { records.append(record) }
}

@Suite struct LoggingTests {
    let record = LogRecord(level: .info, message: "resource started \"orders\"",
                           fields: [("resource", "orders-db"), ("attempt", 2), ("ok", true), ("externalId", "s3cr3t")])

    @Test func jsonIsOneObjectPerLineWithSecretsRedacted() {
        let line = LogFormat.json.render(record, time: "2026-11-21T22:00:00.000Z")
        #expect(line == #"{"time":"2026-11-21T22:00:00.000Z","level":"info","msg":"resource started \"orders\"","resource":"orders-db","attempt":2,"ok":true,"externalId":"[redacted]"}"#)
        #expect(!line.contains("\n"))
    }

    @Test func textIsForPeople() {
        let line = LogFormat.text.render(record, time: "T")
        #expect(line == #"T INFO    resource started "orders" resource=orders-db attempt=2 ok=true externalId=[redacted]"#)
    }

    @Test func contextFieldsAndLevels() {
        let sink = CollectingSink()
        let logger = Logger(sink: sink, minimumLevel: .info).with(["execution": "payments-activate"])
        logger.debug("hidden")
        logger.warning("slow", ["resource": "api"])
        #expect(sink.records.count == 1)
        #expect(sink.records[0].fields.map(\.0) == ["execution", "resource"])
        #expect(Logger.Level(name: "WARNING") == .warning)
    }

    @Test func controlCharactersAreEscaped() {
        let line = LogFormat.json.render(LogRecord(level: .error, message: "a\nb\u{1}", fields: []), time: "T")
        #expect(line.contains(#""msg":"a\nb\u0001""#))
    }
}
