import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// R53RecordModule against moto's Route 53 and ELBv2: the seeded zone's api (alias) and status
/// (CNAME) records move to us-west-2. Each test starts with them pointing at us-east-1 again.
@Suite(.serialized) struct R53RecordModuleTests {
    let module: R53RecordModule
    let app: App

    init() async throws {
        app = try await Emulator.app("r53")
        module = R53RecordModule(clients: try Emulator.clients())
        let east = app.regional(Emulator.east)["loadBalancer"] as? [String: Any] ?? [:]
        let api = try await route53()
        _ = try await api.upsert(zone: app.zoneID, [
            Route53.RecordSet(name: app.string("route53", "apiRecord"), type: "A",
                              alias: Route53.AliasTarget(hostedZoneID: east["canonicalHostedZoneId"] as? String ?? "", dnsName: east["dnsName"] as? String ?? "",
                                                         evaluateTargetHealth: true)),
            Route53.RecordSet(name: app.string("route53", "statusRecord"), type: "CNAME", ttl: 60, values: [app.string("route53", "statusTarget")]),
        ], comment: "test reset")
    }

    func route53() async throws -> Route53 { Route53(try await Emulator.client(region: Emulator.east)) }

    func changes(_ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["route53:ChangeResourceRecordSets", default: 0]
    }

    var westTarget: String { "status-west." + app.zoneID }

    func parameters(zone: String? = nil, balancer: String? = nil) -> JSONValue {
        ["Items": [
            ["HostedZoneId": .string("/hostedzone/" + (zone ?? app.zoneID)), "R53RecordName": .string(app.string("route53", "apiRecord")), "RecordType": "A",
             "RecordValue": .string(balancer ?? app.prefix + "payments-west"), "Alias": "Yes"],
            ["HostedZoneId": .string(zone ?? app.zoneID), "R53RecordName": .string(String(app.string("route53", "statusRecord").dropLast())), "RecordType": "CNAME",
             "RecordValue": .string("status-west.\(app.string("route53", "zoneName").dropLast())"), "TTL": 30],
        ]]
    }

    /// Records are global, so a drill never changes one (that would move production traffic):
    /// its preflight reads them, and a `start` that reaches the module is refused without a call.
    @Test func aDrillOnlyValidates() async throws {
        let context = Emulator.context(.activate, mode: .drill, parameters: parameters())
        let before = try await Emulator.stats()
        #expect(try await module.preflight(context).passed)
        let refused = await Emulator.error { try await module.start(context) }
        #expect(refused?.code == "DrillRefused" && refused?.kind == .permanent)
        #expect(try await changes(before) == 0)
    }

    @Test func recoveryActivateUpsertsBothRecordsInOneBatch() async throws {
        let context = Emulator.context(.activate, mode: .recovery, parameters: parameters())
        let before = try await Emulator.stats()
        let (started, result, checkpoint) = try await Emulator.run(module, context)
        #expect(result.isSucceeded, "\(result)")
        #expect(started.message?.contains("upserted") == true)
        #expect(checkpoint["changes"]?.arrayValue?.count == 1)
        #expect(try await changes(before) == 1)
        let west = app.regional(Emulator.west)["loadBalancer"] as? [String: Any] ?? [:]
        let api = try await route53()
        let alias = try await api.recordSets(zone: app.zoneID, name: app.string("route53", "apiRecord"), type: "A")
        #expect(alias.count == 1)
        #expect(alias.first?.alias?.dnsName.lowercased().hasPrefix((west["dnsName"] as? String ?? "?").lowercased()) == true)
        let cname = try await api.recordSets(zone: app.zoneID, name: app.string("route53", "statusRecord"), type: "CNAME")
        #expect(cname.first?.values == ["status-west.\(app.string("route53", "zoneName").dropLast())"])
        #expect(cname.first?.ttl == 30)
    }

    @Test func startTwiceChangesOnce() async throws {
        let context = Emulator.context(.activate, parameters: parameters())
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        let second = try await module.start(context)
        #expect(second.message == "all 2 record(s) already point at the acting region")
        #expect(try await Emulator.poll(module, context, first.checkpoint).result.isSucceeded)
        #expect(try await Emulator.poll(module, context, second.checkpoint).result.isSucceeded)
        #expect(try await changes(before) == 1)
    }

    @Test func unknownLoadBalancerOrZoneIsPermanentWithoutChanges() async throws {
        let before = try await Emulator.stats()
        let balancer = await Emulator.error { try await module.start(Emulator.context(.activate, parameters: parameters(balancer: "no-such-alb"))) }
        #expect(balancer?.kind == .permanent)
        #expect(balancer?.code == "LoadBalancerNotFound")
        let zone = await Emulator.error { try await module.start(Emulator.context(.activate, parameters: parameters(zone: "Z0000000000000NOZONE"))) }
        #expect(zone?.kind == .permanent)
        #expect(zone?.code == "NoSuchHostedZone")
        let report = try await module.preflight(Emulator.context(.activate, parameters: parameters(zone: "Z0000000000000NOZONE")))
        #expect(report.findings.contains { $0.severity == .blocking && $0.message.contains("Z0000000000000NOZONE does not exist") })
        #expect(try await changes(before) == 0)
    }

    @Test func throttledChangeIsTransientAndChangesOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: parameters())
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "route53", operation: "ChangeResourceRecordSets")
        #expect(try await changes(before) == faulted + 1)
    }

    @Test func aChangeRoute53DoesNotKnowFailsTheCheck() async throws {
        let context = Emulator.context(.activate, parameters: parameters())
        let started = try await module.start(context)
        let changeID = try #require(started.checkpoint["changes"]?.arrayValue?.first?["changeId"]?.stringValue)
        // moto answers INSYNC for any change id, so Route 53's answer for an unknown one
        // (404 NoSuchChange) comes from a fault rule on GetChange.
        _ = try await Emulator.fault(["kind": "error", "status": 404, "code": "NoSuchChange", "count": 1,
                                      "match": ["service": "route53", "operation": "GetChange"]])
        let result = try await module.check(context, checkpoint: started.checkpoint)
        let failure = try #require(result.failure, "\(result)")
        #expect(failure.code == "NoSuchChange")
        #expect(failure.reason.contains(changeID))
    }

    @Test func preflightShowsTheMoveWithoutChanging() async throws {
        let before = try await Emulator.stats()
        let report = try await module.preflight(Emulator.context(.activate, parameters: parameters()))
        #expect(report.passed)
        #expect(report.findings.count == 2)
        #expect(report.findings.contains { $0.message.contains("→ alias") && $0.message.lowercased().contains("payments-west") })
        #expect(try await changes(before) == 0)
    }
}
