import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// EventBridgeModule against moto's EventBridge: one rule on a custom bus in each region, disabled
/// in the standby (us-west-2) and enabled in the serving region (us-east-1), made fresh per test.
@Suite(.serialized) struct EventBridgeModuleTests {
    let module: EventBridgeModule
    let rule: String
    let bus: String

    init() async throws {
        module = EventBridgeModule(clients: try Emulator.clients())
        rule = Emulator.unique("orders-rule")
        bus = Emulator.unique("orders-bus")
        _ = try await Emulator.boto("""
            for region, state in (('us-west-2', 'DISABLED'), ('us-east-1', 'ENABLED')):
                aws('events', region).create_event_bus(Name='\(bus)')
                aws('events', region).put_rule(Name='\(rule)', EventBusName='\(bus)', State=state, EventPattern='{"source": ["shop"]}')
            """)
    }

    var parameters: JSONValue { ["Items": [["EventRuleName": .string(rule), "BusName": .string(bus)]]] }

    func api(_ region: String) async throws -> EventBridge { EventBridge(try await Emulator.client(region: region)) }

    func calls(_ operation: String, _ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["events:\(operation)", default: 0]
    }

    @Test func recoveryActivateEnablesTheStandbyRuleOnceWhenStartedTwice() async throws {
        let context = Emulator.context(.activate, mode: .recovery, parameters: parameters)
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        #expect(first.message == "\(rule) on \(bus) → ENABLED")
        let second = try await module.start(context)
        #expect(second.message == "every rule is already ENABLED: \(rule) on \(bus)")
        let result = try await Emulator.poll(module, context, first.checkpoint).result
        #expect(result.isSucceeded, "\(result)")
        #expect(try await calls("EnableRule", before) == 1)
        #expect(try await api(Emulator.west).describeRule(rule, bus: bus).state == "ENABLED")
    }

    @Test func recoveryCleanupDisablesTheOldPrimaryRule() async throws {
        let context = Emulator.context(.cleanup, mode: .recovery, parameters: parameters)
        #expect(context.actingRegion == Emulator.east)
        let before = try await Emulator.stats()
        #expect(try await Emulator.run(module, context).result.isSucceeded)
        #expect(try await calls("DisableRule", before) == 1)
        #expect(try await api(Emulator.east).describeRule(rule, bus: bus).state == "DISABLED")
    }

    /// A drill enables the standby's rule after recording that it was DISABLED, and its Cleanup
    /// disables it again; the serving region's rule is never written.
    @Test func aDrillRecordsTheStandbyRuleAndItsCleanupRestoresIt() async throws {
        let before = try await Emulator.statsByRegion()
        let activate = Emulator.context(.activate, mode: .drill, parameters: parameters)
        #expect(try await Emulator.run(module, activate).result.isSucceeded)
        let west = try await api(Emulator.west)
        let enabled = try await west.describeRule(rule, bus: bus)
        #expect(enabled.state == "ENABLED")
        #expect(try await west.tags(of: enabled.arn)["lifeboat.dev/drill-undo"] == "plan=plan state=DISABLED")

        let cleanup = Emulator.context(.cleanup, mode: .drill, parameters: parameters)
        #expect(cleanup.actingRegion == Emulator.west)
        let (started, result, _) = try await Emulator.run(module, cleanup)
        #expect(started.message == "returning to the state before the drill: \(rule) on \(bus) → DISABLED")
        #expect(result.isSucceeded, "\(result)")
        #expect(try await west.describeRule(rule, bus: bus).state == "DISABLED")
        #expect(try await west.tags(of: enabled.arn)["lifeboat.dev/drill-undo"] == nil)
        #expect(try await Emulator.run(module, cleanup).start.message == "no rule carries a drill record: the drills changed none of them")

        // The EventArchive suite seeds buses and archives alongside (CreateEventBus, CreateArchive):
        // count what this module can send.
        let written = try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["events"])
        #expect(written.filter { ["events:EnableRule", "events:DisableRule", "events:TagResource", "events:UntagResource", "events:PutRule"].contains($0.key) }.isEmpty)
        #expect(try await api(Emulator.east).describeRule(rule, bus: bus).state == "ENABLED")
    }

    @Test func aMissingRuleIsPermanentWithoutMutatingCallsAndBlocksPreflight() async throws {
        let context = Emulator.context(.activate, parameters: ["Items": [["EventRuleName": .string(rule), "BusName": .string(bus)],
                                                                          ["EventRuleName": "no-such-rule", "BusName": .string(bus)]]])
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent && error?.code == "ResourceNotFoundException", "\(String(describing: error))")
        #expect(error?.message == "EventBridge rule no-such-rule not found on bus \(bus) in account \(Emulator.account), \(Emulator.west)")
        let report = try await module.preflight(context)
        #expect(!report.passed)
        #expect(report.findings.contains { $0.severity == .ok && $0.message == "\(rule): DISABLED → ENABLED" })
        #expect(try await calls("EnableRule", before) == 0)
    }

    @Test func aThrottledEnableIsTransientAndEnablesOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: parameters)
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "events", operation: "EnableRule")
        #expect(try await calls("EnableRule", before) == faulted + 1)
        #expect(try await api(Emulator.west).describeRule(rule, bus: bus).state == "ENABLED")
    }

    @Test func theCheckFailsWhenTheRuleIsDisabledOrDeletedBehindItsBack() async throws {
        let context = Emulator.context(.activate, parameters: parameters)
        let started = try await module.start(context)
        try await api(Emulator.west).disableRule(rule, bus: bus)
        let changed = try await module.check(context, checkpoint: started.checkpoint)
        #expect(changed.failure?.code == "RuleStateChanged", "\(changed)")
        _ = try await Emulator.boto("aws('events', 'us-west-2').delete_rule(Name='\(rule)', EventBusName='\(bus)')")
        let deleted = try await module.check(context, checkpoint: started.checkpoint)
        #expect(deleted.failure?.code == "RuleDeleted", "\(deleted)")
    }
}
