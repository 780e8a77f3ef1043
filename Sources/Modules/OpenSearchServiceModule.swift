import AWS
import Engine
import LifeboatAPI
import YAML

/// Scales an OpenSearch Service domain up for the standby (Instantiate) and down in the old
/// primary (Recovery Cleanup, to the `Cleanup*` sizes), with one UpdateDomainConfig that changes
/// only the sizes named. The check waits until the domain is no longer processing and shows the
/// sizes asked for; a domain that settles on other sizes (a change OpenSearch rolled back) fails.
///
/// A drill records the domain's sizes on the domain (a `DrillRecord` tag) before scaling it, and
/// Drill Cleanup returns it to exactly those sizes, never to the `Cleanup*` ones: those are for
/// the old primary after a real recovery, not for a standby a drill borrowed.
public struct OpenSearchServiceModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .openSearchService) }

    struct Progress: Checkpoint {
        var domain: String
        var target: OpenSearch.Sizes
        /// Drill Cleanup: remove the drill record once the domain is back at the recorded sizes.
        var clearsDrillRecord: Bool?
        /// Nothing to do (Drill Cleanup of a domain no drill changed).
        var untouched: Bool?
    }

    private func api(_ context: ModuleContext) async -> OpenSearch {
        OpenSearch(await clients.client(for: context, region: context.actingRegion))
    }

    private func domain(_ name: String, _ api: OpenSearch, _ context: ModuleContext) async throws(ModuleError) -> OpenSearch.Domain {
        do throws(ModuleError) {
            return try await aws("reading domain \(name)") { try await api.describeDomain(name) }
        } catch where error.code == "ResourceNotFoundException" {
            throw .permanent("OpenSearch domain \(name) not found in account \(context.accountId), \(context.actingRegion)", code: "ResourceNotFoundException")
        }
    }

    static func describe(_ sizes: OpenSearch.Sizes) -> String {
        "\(sizes.dataNodeCount) × \(sizes.dataNodeType)"
            + (sizes.masterNodeCount > 0 ? ", \(sizes.masterNodeCount) × \(sizes.masterNodeType ?? "?") masters" : ", no dedicated masters")
            + ", \(sizes.azCount) AZ" + (sizes.volumeSize.map { ", \($0) GiB" } ?? "")
    }

    /// The sizes of `current` with the phase's parameters written over them.
    static func overlay(_ asked: OpenSearchServiceParameters.Sizes, on current: OpenSearch.Sizes) -> OpenSearch.Sizes {
        let masters = asked.masterNodeCount ?? current.masterNodeCount
        return OpenSearch.Sizes(dataNodeType: asked.dataNodeType ?? current.dataNodeType, dataNodeCount: asked.dataNodeCount ?? current.dataNodeCount,
                                masterNodeType: asked.masterNodeType ?? current.masterNodeType ?? (masters > 0 ? current.dataNodeType : nil),
                                masterNodeCount: masters, azCount: asked.azCount ?? current.azCount,
                                volumeSize: asked.totalStorageSize ?? current.volumeSize)
    }

    static func record(_ sizes: OpenSearch.Sizes, _ context: ModuleContext) -> DrillRecord {
        DrillRecord(context, ["type": sizes.dataNodeType, "count": String(sizes.dataNodeCount), "mtype": sizes.masterNodeType ?? "none",
                              "mcount": String(sizes.masterNodeCount), "az": String(sizes.azCount), "storage": sizes.volumeSize.map(String.init) ?? "none"])
    }

    static func sizes(from record: DrillRecord, domain: String) throws(ModuleError) -> OpenSearch.Sizes {
        guard let type = record.values["type"], let count = record.int("count"), let masters = record.int("mcount"), let zones = record.int("az") else {
            throw .permanent("\(domain): the drill record \(DrillRecord.tagKey)=\"\(record.tagValue)\" lacks type, count, mcount or az; size the domain by hand and delete the tag",
                             code: "BadDrillRecord")
        }
        return OpenSearch.Sizes(dataNodeType: type, dataNodeCount: count, masterNodeType: record.values["mtype"].flatMap { $0 == "none" ? nil : $0 },
                                masterNodeCount: masters, azCount: zones, volumeSize: record.int("storage"))
    }

    /// Where this phase takes the domain; nil leaves it alone (Drill Cleanup without a record).
    private func target(_ parameters: OpenSearchServiceParameters, _ domain: OpenSearch.Domain, tags: [String: String],
                        _ context: ModuleContext) throws(ModuleError) -> OpenSearch.Sizes? {
        if context.undoesDrill {
            return try DrillRecord(tags: tags).map { record throws(ModuleError) in try Self.sizes(from: record, domain: domain.name) }
        }
        return Self.overlay(context.phase == .cleanup ? parameters.scaleDown : parameters.scaleUp, on: domain.sizes)
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let parameters = try ModuleParameters.decode(OpenSearchServiceParameters.self, context, descriptor)
        let api = await api(context)
        let domain: OpenSearch.Domain
        do throws(ModuleError) {
            domain = try await self.domain(parameters.domainName, api, context)
        } catch where error.code == "ResourceNotFoundException" {
            return PreflightReport(findings: [.init(.blocking, error.message)])
        }
        var findings: [PreflightReport.Finding] = [.init(.ok, "\(domain.name): \(Self.describe(domain.sizes))")]
        if domain.processing { findings.append(.init(.warning, "\(domain.name) is applying a configuration change; \(context.phase) waits for it")) }
        let tags = try await aws("reading the tags of \(domain.name)") { try await api.tags(of: domain.arn) }
        if let target = try target(parameters, domain, tags: tags, context) {
            findings.append(.init(.ok, target == domain.sizes ? "\(domain.name) already has the sizes \(context.phase) asks for"
                                  : "\(context.phase) \(context.undoesDrill ? "returns it to the sizes before the drill" : "scales it to") \(Self.describe(target))"))
        } else {
            findings.append(.init(.ok, "\(domain.name) carries no drill record, so Drill Cleanup leaves it as it is"))
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let parameters = try ModuleParameters.decode(OpenSearchServiceParameters.self, context, descriptor)
        let api = await api(context)
        let domain = try await self.domain(parameters.domainName, api, context)
        let tags = try await aws("reading the tags of \(domain.name)") { try await api.tags(of: domain.arn) }
        guard let target = try target(parameters, domain, tags: tags, context) else {
            let progress = Progress(domain: domain.name, target: domain.sizes, untouched: true)
            return StartResult(checkpoint: progress.json, message: "\(domain.name) carries no drill record: the drills did not change it")
        }
        let progress = Progress(domain: domain.name, target: target, clearsDrillRecord: context.undoesDrill ? true : nil)
        // Already there, or this change already applying (a restarted run): adopt it.
        if domain.sizes == target {
            return StartResult(checkpoint: progress.json, message: domain.processing ? "adopted the change under way to \(Self.describe(target))"
                               : "\(domain.name) already has \(Self.describe(target))")
        }
        if domain.processing {
            throw .transient("\(domain.name) is applying another configuration change (now \(Self.describe(domain.sizes))); it is retried once that has applied",
                             code: "ChangeInProgress")
        }
        if context.recordsDrill, DrillRecord(tags: tags) == nil {
            try await aws("recording \(domain.name)'s sizes before the drill") {
                try await api.tag(domain.arn, key: DrillRecord.tagKey, value: Self.record(domain.sizes, context).tagValue)
            }
        }
        context.logger.info("updating opensearch domain config", ["domain": .string(domain.name), "sizes": .string(Self.describe(target))])
        let subnets = context.phase == .instantiate && !context.undoesDrill ? parameters.subnetList.flatMap { $0 == domain.subnetIds ? nil : $0 } : nil
        try await aws("scaling \(domain.name) to \(Self.describe(target))") {
            try await api.update(domain, to: target, subnetIds: subnets, autoTune: context.phase == .instantiate ? parameters.autoTune : nil)
        }
        return StartResult(checkpoint: progress.json, message: (context.undoesDrill ? "returning to the sizes before the drill: " : "scaling ")
                           + "\(domain.name) from \(Self.describe(domain.sizes)) to \(Self.describe(target))")
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "OpenSearchService")
        if progress.untouched == true { return .succeeded(message: "nothing to undo: \(progress.domain) carried no drill record") }
        let api = await api(context)
        let domain: OpenSearch.Domain
        do throws(ModuleError) {
            domain = try await self.domain(progress.domain, api, context)
        } catch where error.code == "ResourceNotFoundException" {
            return .failed(reason: error.message, code: "ResourceNotFoundException")
        }
        if domain.processing {
            return .inProgress(message: "\(domain.name) is applying the change to \(Self.describe(progress.target))", nextPoll: .seconds(60))
        }
        guard domain.sizes == progress.target else {
            return .failed(reason: "\(domain.name) finished processing with \(Self.describe(domain.sizes)), not \(Self.describe(progress.target)): OpenSearch did not apply the change (see the domain's configuration change history)",
                           code: "ConfigNotApplied")
        }
        if progress.clearsDrillRecord == true {
            try await aws("removing \(domain.name)'s drill record") { try await api.untag(domain.arn, key: DrillRecord.tagKey) }
            return .succeeded(message: "\(domain.name) is back at the sizes before the drill: \(Self.describe(domain.sizes))")
        }
        return .succeeded(message: "\(domain.name) has \(Self.describe(domain.sizes))")
    }
}
