import AWS
import Engine
import LifeboatAPI
import YAML

/// Upserts Route 53 records so traffic goes to the acting region: one change batch per hosted
/// zone, alias targets looked up by load balancer name in the acting region. Records that
/// already say what the plan says are not sent again, so a restarted run changes nothing twice.
public struct R53RecordModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .r53Record) }

    struct Change: Codable, Sendable, Hashable {
        var zone: String
        var changeId: String
    }

    struct Progress: Checkpoint {
        var changes: [Change]
        var records: [String]
    }

    struct DesiredRecord {
        var zone: String
        var record: Route53.RecordSet
        var label: String { "\(record.name) \(record.type)" + (record.setIdentifier.map { " [\($0)]" } ?? "") }
    }

    /// The records as Route 53 should hold them, alias targets resolved.
    private func desired(_ context: ModuleContext) async throws(ModuleError) -> [DesiredRecord] {
        let parameters = try ModuleParameters.decode(R53RecordParameters.self, context, descriptor)
        let balancers = ElasticLoadBalancingV2(await clients.client(for: context, region: context.actingRegion))
        var records: [DesiredRecord] = []
        for (index, item) in parameters.items.enumerated() {
            let name = item.r53RecordName.hasSuffix(".") ? item.r53RecordName : item.r53RecordName + "."
            var record = Route53.RecordSet(name: name, type: item.recordType, setIdentifier: item.setIdentifier, weight: item.weight)
            if item.alias {
                let balancerName = item.recordValues.first ?? ""
                guard let balancer = try await aws("looking up load balancer \(balancerName)", { try await balancers.loadBalancer(named: balancerName) }) else {
                    let path = FieldPath.root.key("parameters").key(R53RecordParameters.Key.items.rawValue).index(index)
                        .key(R53RecordParameters.Record.Key.recordValue.rawValue)
                    throw .permanent("\(path): no load balancer named \(balancerName) in account \(context.accountId), \(context.actingRegion)",
                                     code: "LoadBalancerNotFound")
                }
                record.alias = Route53.AliasTarget(hostedZoneID: balancer.canonicalHostedZoneID, dnsName: balancer.dnsName, evaluateTargetHealth: false)
            } else {
                record.ttl = item.ttl
                record.values = item.recordValues
            }
            records.append(DesiredRecord(zone: Route53.bareZoneID(item.hostedZoneId), record: record))
        }
        return records
    }

    /// The desired records Route 53 does not already hold.
    private func outstanding(_ records: [DesiredRecord], _ api: Route53) async throws(ModuleError) -> [DesiredRecord] {
        var result: [DesiredRecord] = []
        for desired in records {
            let current = try await aws("reading \(desired.label) in zone \(desired.zone)") {
                try await api.recordSets(zone: desired.zone, name: desired.record.name, type: desired.record.type)
            }
            if !current.contains(where: { $0.matches(desired.record) }) { result.append(desired) }
        }
        return result
    }

    private func describe(_ record: Route53.RecordSet) -> String {
        record.alias.map { "alias \($0.dnsName)" } ?? record.values.joined(separator: ", ")
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let records = try await desired(context)
        let api = Route53(await clients.client(for: context, region: context.actingRegion))
        var findings: [PreflightReport.Finding] = []
        for desired in records {
            do throws(ModuleError) {
                let current = try await aws("reading \(desired.label)") {
                    try await api.recordSets(zone: desired.zone, name: desired.record.name, type: desired.record.type)
                }
                if current.contains(where: { $0.matches(desired.record) }) {
                    findings.append(.init(.ok, "\(desired.label) already points at \(describe(desired.record))"))
                } else {
                    let now = current.first { $0.setIdentifier == desired.record.setIdentifier }.map(describe) ?? "nothing"
                    findings.append(.init(.ok, "\(desired.label): \(now) → \(describe(desired.record))"))
                }
            } catch where error.code == "NoSuchHostedZone" {
                findings.append(.init(.blocking, "hosted zone \(desired.zone) does not exist"))
            }
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        // Records are global: a drill that changed one could send production traffic to the
        // standby, which a drill must never do (API.md). Its preflight checks the change instead.
        guard context.mode == .recovery else {
            throw .permanent("a drill never moves traffic, and Route 53 records are global: R53Record only validates in drills; "
                             + "leave the resource's drill behaviour at Validate", code: "DrillRefused")
        }
        let records = try await desired(context)
        let api = Route53(await clients.client(for: context, region: context.actingRegion))
        let changes = try await outstanding(records, api)
        var submitted: [Change] = []
        for zone in Set(changes.map(\.zone)).sorted() {
            let batch = changes.filter { $0.zone == zone }
            context.logger.info("upserting route 53 records", ["zone": .string(zone), "records": .string(batch.map(\.label).joined(separator: ","))])
            let id = try await aws("upserting \(batch.map(\.label).joined(separator: ", ")) in zone \(zone)") {
                try await api.upsert(zone: zone, batch.map(\.record), comment: "Lifeboat \(context.executionName) \(context.resourceName)")
            }
            submitted.append(Change(zone: zone, changeId: id))
        }
        let progress = Progress(changes: submitted, records: records.map(\.label))
        let message = changes.isEmpty ? "all \(records.count) record(s) already point at the acting region"
            : "upserted " + changes.map { "\($0.label) → \(describe($0.record))" }.joined(separator: ", ")
        return StartResult(checkpoint: progress.json, message: message)
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "R53Record")
        let api = Route53(await clients.client(for: context, region: context.actingRegion))
        var pending: [String] = []
        for change in progress.changes {
            let status: String
            do throws(ModuleError) {
                status = try await aws("reading change \(change.changeId)") { try await api.changeStatus(change.changeId) }
            } catch where error.code == "NoSuchChange" {
                return .failed(reason: "Route 53 has no change \(change.changeId) for zone \(change.zone)", code: "NoSuchChange")
            }
            switch status {
            case "INSYNC": continue
            case "PENDING": pending.append(change.changeId)
            default: return .failed(reason: "change \(change.changeId) is \(status)", code: "UnexpectedChangeStatus")
            }
        }
        if pending.isEmpty {
            return .succeeded(message: "\(progress.records.count) record(s) in sync on every Route 53 name server")
        }
        return .inProgress(message: "waiting for \(pending.count) change(s) to reach every name server", nextPoll: .seconds(5))
    }
}
