import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// EventArchiveModule against moto's EventBridge with the emulator's replays that take time: a bus
/// and its archive in each region, made fresh per test.
@Suite(.serialized) struct EventArchiveModuleTests {
    let module: EventArchiveModule
    let bus: String
    let archive: String

    init() async throws {
        // This service's delays at zero (an operation moves on at the next request) unless a test says otherwise.
        try await Emulator.config(["eventbridge": ["replaySeconds": 0]])
        module = EventArchiveModule(clients: try Emulator.clients())
        bus = Emulator.unique("orders-bus")
        archive = Emulator.unique("orders-archive")
        _ = try await Emulator.boto("""
            for region in ('us-west-2', 'us-east-1'):
                arn = aws('events', region).create_event_bus(Name='\(bus)')['EventBusArn']
                aws('events', region).create_archive(ArchiveName='\(archive)', EventSourceArn=arn)
            """)
    }

    func archiveArn(_ region: String) -> String { "arn:aws:events:\(region):\(Emulator.account):archive/\(archive)" }

    func parameters(archiveIn region: String = Emulator.west) -> JSONValue {
        ["EventArchiveArn": .string(archiveArn(region)), "BusName": .string(bus), "StartTime": "2026-01-01T00:00:00Z",
         "EndTime": "2026-01-01 06:00:00", "ReplayName": "orders"]
    }

    func replays(_ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["events:StartReplay", default: 0]
    }

    @Test func activateReplaysTheWindowAndAStartedTwiceReplayIsAdopted() async throws {
        try await Emulator.config(["eventbridge": ["replaySeconds": 60]])
        let context = Emulator.context(.activate, parameters: parameters())
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        let name = try #require(first.checkpoint["replayName"]?.stringValue)
        #expect(name.hasPrefix("orders-") && name.count == "orders-".count + 12)
        #expect(first.message == "replaying 2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z from \(archive) onto arn:aws:events:us-west-2:\(Emulator.account):event-bus/\(bus) as \(name)")
        let running = try await module.check(context, checkpoint: first.checkpoint)
        guard case .inProgress(let message, _, _) = running else { Issue.record("\(running)"); return }
        #expect(message.hasPrefix("replay \(name) is "))
        // A restarted run of the same execution finds its replay by name.
        let second = try await module.start(context)
        #expect(second.message?.hasPrefix("adopted replay \(name), already ") == true)
        try await Emulator.config(["eventbridge": ["replaySeconds": 0]])
        let result = try await Emulator.poll(module, context, second.checkpoint).result
        #expect(result.successMessage?.hasPrefix("replayed 2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z") == true, "\(result)")
        #expect(try await replays(before) == 1)
        // Another execution gets a replay of its own.
        let other = try await module.start(Emulator.context(.activate, parameters: parameters()))
        #expect(other.checkpoint["replayName"]?.stringValue != name)
    }

    @Test func anArchiveOfAnotherRegionIsPermanentWithoutAReplayAndBlocksPreflight() async throws {
        let context = Emulator.context(.activate, parameters: parameters(archiveIn: Emulator.east))
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent && error?.code == "ArchiveInAnotherRegion", "\(String(describing: error))")
        let report = try await module.preflight(context)
        #expect(!report.passed && report.findings.contains { $0.severity == .blocking && $0.message.contains("is in us-east-1") })
        let missing = Emulator.context(.activate, parameters: ["EventArchiveArn": .string("arn:aws:events:us-west-2:\(Emulator.account):archive/none"),
                                                              "BusName": .string(bus), "StartTime": "2026-01-01T00:00:00Z", "EndTime": "2026-01-02T00:00:00Z"])
        #expect(await Emulator.error { try await module.start(missing) }?.message == "archive none not found in account \(Emulator.account), us-west-2")
        #expect(try await replays(before) == 0)
    }

    @Test func preflightNamesTheWindowAndTheReplayWithoutStartingIt() async throws {
        let context = Emulator.context(.activate, parameters: parameters())
        let before = try await Emulator.stats()
        let report = try await module.preflight(context)
        #expect(report.passed)
        #expect(report.findings.contains { $0.message.hasPrefix("archive \(archive) is ENABLED") })
        #expect(report.findings.contains { $0.severity == .warning && $0.message.contains("starts before archive \(archive) was created") })
        #expect(try await replays(before) == 0)
    }

    @Test func aThrottledStartIsTransientAndReplaysOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: parameters())
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "events", operation: "StartReplay")
        #expect(try await replays(before) == faulted + 1)
    }

    @Test func aFailedReplayFailsTheCheckWithItsReason() async throws {
        try await Emulator.failure(["kind": "replay-failed", "replayName": "failing*", "reason": "the destination bus was deleted"])
        let context = Emulator.context(.activate, parameters: ["EventArchiveArn": .string(archiveArn(Emulator.west)), "BusName": .string(bus),
                                                               "StartTime": "2026-01-01T00:00:00Z", "EndTime": "2026-01-02T00:00:00Z", "ReplayName": "failing"])
        let result = try await Emulator.run(module, context).result
        #expect(result.failure?.code == "ReplayFailed", "\(result)")
        #expect(result.failure?.reason.hasSuffix("is FAILED: the destination bus was deleted") == true)
    }

    /// A drill's Activate (drill: Execute) replays in the standby; the serving region only reads.
    /// (The EventBridge suite shares the service and runs alongside, so only this module's own
    /// mutating call is counted.)
    @Test func aDrillReplaysInTheStandbyAndNeverWritesTheServingRegion() async throws {
        let before = try await Emulator.statsByRegion()
        let context = Emulator.context(.activate, mode: .drill, parameters: parameters())
        #expect(context.actingRegion == Emulator.west)
        #expect(try await Emulator.run(module, context).result.isSucceeded)
        #expect(try await Emulator.mutatingCalls(in: Emulator.west, since: before, services: ["events"])["events:StartReplay"] == 1)
        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["events"])["events:StartReplay"] == nil)
    }
}
