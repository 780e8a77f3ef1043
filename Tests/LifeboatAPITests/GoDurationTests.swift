import LifeboatAPI
import Testing

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("45m", Int64(2_700_000)), ("4h", 14_400_000), ("1h30m", 5_400_000), ("90s", 90_000), ("1.5h", 5_400_000),
        ("500ms", 500), ("0", 0), ("2h45m30s", 9_930_000), ("+10s", 10_000), ("1500us", 2), ("0.5s", 500),
    ])
    func parses(text: String, milliseconds: Int64) throws {
        #expect(try GoDuration(parsing: text).milliseconds == milliseconds)
    }

    @Test(arguments: ["", "5", "5 minutes", "m", "1x", "-5m", "1h-5m", "1..5h", "h1"])
    func rejects(text: String) {
        #expect(throws: GoDuration.ParseError.self) { try GoDuration(parsing: text) }
    }

    @Test(arguments: [
        (Int64(2_700_000), "45m"), (14_400_000, "4h"), (5_400_000, "1h30m"), (90_000, "1m30s"), (500, "500ms"),
        (0, "0s"), (1_500, "1.5s"), (3_601_000, "1h1s"), (61_250, "1m1.25s"),
    ])
    func printsCanonically(milliseconds: Int64, text: String) throws {
        let duration = GoDuration(milliseconds: milliseconds)
        #expect(duration.description == text)
        #expect(try GoDuration(parsing: text) == duration)
    }

    @Test func errorsSayHowToWriteOne() {
        #expect((try? GoDuration(parsing: "5 minutes")) == nil)
        #expect(GoDuration.ParseError.invalid("5 minutes").description.contains("e.g. 45m, 4h or 1h30m"))
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)), ("2026-11-21T22:18:47Z", 1_795_299_527),
        ("2024-02-29T12:00:00Z", 1_709_208_000), ("2026-11-21T23:18:47+01:00", 1_795_299_527),
        ("2026-11-21T22:18:47.123456Z", 1_795_299_527), ("1969-12-31T23:59:59Z", -1),
    ])
    func parsesAndPrints(text: String, seconds: Int64) throws {
        let timestamp = try Timestamp(parsing: text)
        #expect(timestamp.secondsSinceEpoch == seconds)
        #expect(try Timestamp(parsing: timestamp.description) == timestamp)
    }

    @Test(arguments: ["2026-02-30T00:00:00Z", "2026-11-21", "2026-11-21T25:00:00Z", "2026-11-21T22:18:47", "yesterday", "2026-11-21T22:18:47Zjunk"])
    func rejects(text: String) {
        #expect(throws: Timestamp.ParseError.self) { try Timestamp(parsing: text) }
    }

    @Test func printsMillisecondsOnlyWhenPresent() throws {
        #expect(try Timestamp(parsing: "2026-11-21T23:18:47.9+01:00").description == "2026-11-21T22:18:47.900Z")
        #expect(try Timestamp(parsing: "2026-11-21T22:18:47.123456Z").description == "2026-11-21T22:18:47.123Z")
        #expect(try Timestamp(parsing: "2026-11-21T22:18:47.000Z").description == "2026-11-21T22:18:47Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).description == "1969-12-31T23:59:59.999Z")
        #expect(try Timestamp(parsing: "2026-11-21T22:18:47.9Z").wholeSeconds.description == "2026-11-21T22:18:47Z")
    }
}
