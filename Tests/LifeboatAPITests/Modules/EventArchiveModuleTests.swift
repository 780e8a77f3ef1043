import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct EventArchive {
        static let valid: JSONValue = [
            "EventArchiveArn": "arn:aws:events:us-east-1:111111111111:archive/orders",
            "BusName": "orders",
            "StartTime": "2026-11-21T10:00:00Z",
            "EndTime": "2026-11-21 12:30:00",
            "ReplayName": "orders-dr",
        ]

        @Test func validExamplePasses() {
            #expect(check(.eventArchive, Self.valid).isEmpty)
            #expect(check(.eventArchive, setting(Self.valid, "EndTime", "2026-11-21T12:00:00.250+02:00")).isEmpty)
        }

        @Test func requiredKeys() {
            #expect(check(.eventArchive, ["ReplayName": "x"]).errorPaths == [at("EventArchiveArn"), at("BusName"), at("StartTime"), at("EndTime")])
        }

        @Test(arguments: [
            "arn:aws:events:us-east-1:1111:archive/orders",
            "arn:aws:events:useast1:111111111111:archive/orders",
            "arn:aws:events:us-east-1:111111111111:rule/orders",
            "arn:aws:sqs:us-east-1:111111111111:archive/orders",
            "orders",
        ])
        func archiveArnShape(arn: String) {
            #expect(check(.eventArchive, setting(Self.valid, "EventArchiveArn", .string(arn))).errorPaths == [at("EventArchiveArn")])
        }

        @Test(arguments: ["2026-11-21T10:00:00", "2026-02-30T10:00:00Z", "2026-11-21T24:00:00Z", "21/11/2026 10:00", "2026-11-21T10:00:00+2:00", "now"])
        func timestampsAreChecked(text: String) {
            let problems = check(.eventArchive, setting(Self.valid, "StartTime", .string(text)))
            #expect(problems.errorPaths == [at("StartTime")])
            #expect(problems[0].message == "\"\(text)\" is not a timestamp")
        }

        @Test func windowMustEndAfterItStarts() {
            let problems = check(.eventArchive, setting(Self.valid, "EndTime", "2026-11-21T11:00:00+02:00"))
            #expect(problems.errorPaths == [at("EndTime")])
            #expect(check(.eventArchive, setting(Self.valid, "EndTime", "2026-11-21 10:00:00")).errorPaths == [at("EndTime")])
            #expect(check(.eventArchive, setting(Self.valid, "EndTime", "resolve:ssm:/dr/replay-end")).isEmpty)
        }

        @Test func typesLengthsAndUnknownKeys() {
            var value = Self.valid
            value["StartTime"] = 1_700_000_000
            value["ReplayName"] = .string(String(repeating: "r", count: 41))
            value["Replayname"] = "x"
            let problems = check(.eventArchive, value)
            #expect(problems.errorPaths == [at("StartTime"), at("ReplayName"), at("Replayname")])
            #expect(problems[0].message == "expected timestamp string, got integer 1700000000")
            #expect(problems[2].hint == "did you mean ReplayName?")
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.eventArchive, setting(Self.valid, "StartTime", .string(reference))).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.eventArchive, setting(Self.valid, "EventArchiveArn", .string(reference))).errorPaths == [at("EventArchiveArn")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.eventArchive, ["EventArchiveArn": "x", "StartTime": "soon", "EndTime": "later", "ReplayName": "a b", "Archive": 1])
            #expect(problems.errorPaths == [at("EventArchiveArn"), at("StartTime"), at("EndTime"), at("ReplayName"), at("Archive"), at("BusName")])
        }
    }
}
