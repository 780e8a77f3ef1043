import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// OpenSearchServiceModule against moto's OpenSearch with the emulator's changes that take time:
/// a domain of 2 × r6g.large.search, 20 GiB, in each region, made fresh per test.
@Suite(.serialized) struct OpenSearchServiceModuleTests {
    let module: OpenSearchServiceModule
    let domain: String

    init() async throws {
        // This service's delays at zero (an operation moves on at the next request) unless a test says otherwise.
        try await Emulator.config(["opensearch": ["changeSeconds": 0]])
        module = OpenSearchServiceModule(clients: try Emulator.clients())
        domain = "s" + Emulator.unique("search").suffix(8)
        _ = try await Emulator.boto("""
            for region in ('us-west-2', 'us-east-1'):
                aws('opensearch', region).create_domain(DomainName='\(domain)', ClusterConfig={'InstanceType': 'r6g.large.search', 'InstanceCount': 2},
                                                        EBSOptions={'EBSEnabled': True, 'VolumeType': 'gp3', 'VolumeSize': 20})
            """)
    }

    var parameters: JSONValue {
        ["DomainName": .string(domain), "DataNodeType": "r6g.xlarge.search", "DataNodeCount": 4, "TotalStorageSize": 50,
         "CleanupDataNodeType": "t3.small.search", "CleanupDataNodeCount": 1, "CleanupTotalStorageSize": 10]
    }

    func api(_ region: String) async throws -> OpenSearch { OpenSearch(try await Emulator.client(region: region)) }

    func updates(_ before: [String: Int]) async throws -> Int {
        Emulator.delta(before, try await Emulator.stats())["es:UpdateDomainConfig", default: 0]
    }

    @Test func instantiateWaitsForTheChangeAndARestartAdoptsIt() async throws {
        try await Emulator.config(["opensearch": ["changeSeconds": 60]])
        let context = Emulator.context(.instantiate, parameters: parameters)
        let before = try await Emulator.stats()
        let first = try await module.start(context)
        #expect(first.message == "scaling \(domain) from 2 × r6g.large.search, no dedicated masters, 1 AZ, 20 GiB to 4 × r6g.xlarge.search, no dedicated masters, 1 AZ, 50 GiB")
        let waiting = try await module.check(context, checkpoint: first.checkpoint)
        guard case .inProgress(let message, _, _) = waiting else { Issue.record("\(waiting)"); return }
        #expect(message == "\(domain) is applying the change to 4 × r6g.xlarge.search, no dedicated masters, 1 AZ, 50 GiB")
        let second = try await module.start(context)
        #expect(second.message == "adopted the change under way to 4 × r6g.xlarge.search, no dedicated masters, 1 AZ, 50 GiB")
        try await Emulator.config(["opensearch": ["changeSeconds": 0]])
        let result = try await Emulator.poll(module, context, second.checkpoint).result
        #expect(result.successMessage == "\(domain) has 4 × r6g.xlarge.search, no dedicated masters, 1 AZ, 50 GiB", "\(result)")
        #expect(try await updates(before) == 1)
    }

    @Test func recoveryCleanupScalesTheOldPrimaryDownToTheCleanupSizes() async throws {
        let context = Emulator.context(.cleanup, mode: .recovery, parameters: parameters)
        #expect(context.actingRegion == Emulator.east)
        #expect(try await Emulator.run(module, context).result.isSucceeded)
        let sizes = try await api(Emulator.east).describeDomain(domain).sizes
        #expect(sizes == OpenSearch.Sizes(dataNodeType: "t3.small.search", dataNodeCount: 1, masterNodeType: nil, masterNodeCount: 0, azCount: 1, volumeSize: 10))
    }

    /// A drill records the standby's sizes before scaling it and its Cleanup returns the domain to
    /// them (never to the Cleanup* sizes); the serving region's domain is never written.
    @Test func aDrillRecordsTheStandbySizesAndItsCleanupReturnsToThem() async throws {
        let before = try await Emulator.statsByRegion()
        let instantiate = Emulator.context(.instantiate, mode: .drill, parameters: parameters)
        #expect(try await Emulator.run(module, instantiate).result.isSucceeded)
        let west = try await api(Emulator.west)
        let scaled = try await west.describeDomain(domain)
        #expect(scaled.sizes.dataNodeCount == 4)
        #expect(try await west.tags(of: scaled.arn)["lifeboat.dev/drill-undo"] == "plan=plan az=1 count=2 mcount=0 mtype=none storage=20 type=r6g.large.search")

        let cleanup = Emulator.context(.cleanup, mode: .drill, parameters: parameters)
        let (started, result, _) = try await Emulator.run(module, cleanup)
        #expect(started.message == "returning to the sizes before the drill: \(domain) from 4 × r6g.xlarge.search, no dedicated masters, 1 AZ, 50 GiB to 2 × r6g.large.search, no dedicated masters, 1 AZ, 20 GiB")
        #expect(result.successMessage == "\(domain) is back at the sizes before the drill: 2 × r6g.large.search, no dedicated masters, 1 AZ, 20 GiB", "\(result)")
        #expect(try await west.tags(of: scaled.arn)["lifeboat.dev/drill-undo"] == nil)
        #expect(try await Emulator.run(module, cleanup).start.message == "\(domain) carries no drill record: the drills did not change it")

        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["es"]).filter { $0.key != "es:CreateDomain" }.isEmpty)
        #expect(try await api(Emulator.east).describeDomain(domain).sizes.dataNodeCount == 2)
    }

    @Test func aMissingDomainIsPermanentWithoutAnUpdateAndBlocksPreflight() async throws {
        let context = Emulator.context(.instantiate, parameters: ["DomainName": "absent-domain", "DataNodeCount": 4])
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent && error?.message == "OpenSearch domain absent-domain not found in account \(Emulator.account), us-west-2",
                "\(String(describing: error))")
        #expect(!(try await module.preflight(context)).passed)
        #expect(try await updates(before) == 0)
    }

    @Test func preflightShowsTheSizesAndTheChangeWithoutMakingIt() async throws {
        let before = try await Emulator.stats()
        let report = try await module.preflight(Emulator.context(.instantiate, parameters: parameters))
        #expect(report.passed)
        #expect(report.findings.map(\.message) == ["\(domain): 2 × r6g.large.search, no dedicated masters, 1 AZ, 20 GiB",
                                                   "Instantiate scales it to 4 × r6g.xlarge.search, no dedicated masters, 1 AZ, 50 GiB"])
        #expect(try await updates(before) == 0)
    }

    @Test func aThrottledUpdateIsTransientAndChangesOnceOnRetry() async throws {
        let context = Emulator.context(.instantiate, parameters: parameters)
        let (before, faulted) = try await Emulator.startThroughFault(module, context, service: "es", operation: "UpdateDomainConfig")
        #expect(try await updates(before) == faulted + 1)
    }

    @Test func aChangeOpenSearchRollsBackFailsTheCheck() async throws {
        try await Emulator.failure(["kind": "opensearch-change-failed", "domainName": domain])
        let result = try await Emulator.run(module, Emulator.context(.instantiate, parameters: parameters)).result
        #expect(result.failure?.code == "ConfigNotApplied", "\(result)")
        #expect(result.failure?.reason.hasPrefix("\(domain) finished processing with 2 × r6g.large.search") == true)
    }
}
