import AWS
import Engine
import LifeboatAPI
import YAML

/// Starts EC2 instances (Instantiate, Activate) and stops them (Cleanup), chosen by id and/or
/// by the tag `Orchestrator:HostName`. Instances already in (or moving to) the wanted state
/// are left alone, so a restarted run asks for nothing twice.
///
/// A drill marks each instance it starts (a `DrillRecord` tag, written before StartInstances);
/// Drill Cleanup stops exactly the marked instances and leaves every other one running.
public struct EC2Module: DRModule {
    static let hostNameTag = "Orchestrator:HostName"
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .ec2) }

    struct Progress: Checkpoint {
        var instanceIds: [String]
        /// running or stopped.
        var target: String
        var requestedAt: Double
        /// Drill Cleanup: remove the instances' drill records once they are stopped.
        var clearsDrillRecords: Bool?
    }

    /// EC2's reads are eventually consistent: right after StartInstances an instance may still
    /// read as stopped. Only after this long does the old state mean the request did not take.
    static let settleSeconds: Double = 60

    private func target(_ phase: Phase) -> String { phase == .cleanup ? "stopped" : "running" }

    /// Every instance the parameters name; an id or host name that matches nothing is an error.
    private func instances(_ context: ModuleContext) async throws(ModuleError) -> [EC2.Instance] {
        let parameters = try ModuleParameters.decode(EC2Parameters.self, context, descriptor)
        let api = EC2(await clients.client(for: context, region: context.actingRegion))
        var found: [String: EC2.Instance] = [:]
        let ids = parameters.instanceIds
        if !ids.isEmpty {
            for instance in try await aws("describing instances \(ids.joined(separator: ", "))", { try await api.describeInstances(ids: ids) }) {
                found[instance.id] = instance
            }
            let missing = ids.filter { found[$0] == nil }
            if !missing.isEmpty {
                throw .permanent("instance \(missing.joined(separator: ", ")) not found in account \(context.accountId), \(context.actingRegion)",
                                 code: "InvalidInstanceID.NotFound")
            }
        }
        let hosts = parameters.hostNames
        if !hosts.isEmpty {
            let tagged = try await aws("finding instances tagged \(Self.hostNameTag)") {
                try await api.describeInstances(filters: [(name: "tag:\(Self.hostNameTag)", values: hosts)])
            }.filter { $0.state != "terminated" }
            let unmatched = hosts.filter { host in !tagged.contains { $0.tags[Self.hostNameTag] == host } }
            if !unmatched.isEmpty {
                throw .permanent("no instance tagged \(Self.hostNameTag)=\(unmatched.joined(separator: ", ")) in account \(context.accountId), \(context.actingRegion)",
                                 code: "InstanceNotFound")
            }
            for instance in tagged { found[instance.id] = instance }
        }
        return found.values.sorted { $0.id < $1.id }
    }

    private static func label(_ instance: EC2.Instance) -> String {
        instance.tags[hostNameTag].map { "\(instance.id) (\($0))" } ?? instance.id
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let wanted = target(context.phase)
        let found = try await instances(context)
        return PreflightReport(findings: found.map { instance in
            if context.undoesDrill, DrillRecord(tags: instance.tags) == nil {
                return .init(.ok, "\(Self.label(instance)) was not started by a drill; Drill Cleanup leaves it \(instance.state)")
            }
            return switch instance.state {
            case "terminated", "shutting-down":
                .init(.blocking, "\(Self.label(instance)) is \(instance.state)")
            case wanted:
                .init(.ok, "\(Self.label(instance)) is already \(wanted)")
            default:
                .init(.ok, "\(Self.label(instance)) is \(instance.state); \(context.phase) makes it \(wanted)")
            }
        })
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let wanted = target(context.phase)
        let named = try await instances(context)
        // Drill Cleanup stops only what a drill started.
        let found = context.undoesDrill ? named.filter { DrillRecord(tags: $0.tags) != nil } : named
        if let gone = found.first(where: { $0.state == "terminated" || $0.state == "shutting-down" }) {
            throw .permanent("\(Self.label(gone)) is \(gone.state) and cannot be \(wanted == "running" ? "started" : "stopped")", code: "IncorrectInstanceState")
        }
        // An instance moving the other way cannot be asked yet; the engine retries with backoff.
        let opposite = wanted == "running" ? "stopping" : "pending"
        if let moving = found.first(where: { $0.state == opposite }) {
            throw .transient("\(Self.label(moving)) is \(opposite); it is \(wanted == "running" ? "started" : "stopped") once that ends", code: "IncorrectInstanceState")
        }
        let arriving = wanted == "running" ? "pending" : "stopping"
        let toChange = found.filter { $0.state != wanted && $0.state != arriving }.map(\.id)
        let api = EC2(await clients.client(for: context, region: context.actingRegion))
        let unrecorded = found.filter { toChange.contains($0.id) && DrillRecord(tags: $0.tags) == nil }.map(\.id)
        if context.recordsDrill, !unrecorded.isEmpty {
            let record = DrillRecord(context, ["state": "stopped"])
            try await aws("marking \(unrecorded.joined(separator: ", ")) as started by the drill") {
                try await api.tag(unrecorded, key: DrillRecord.tagKey, value: record.tagValue)
            }
        }
        if !toChange.isEmpty {
            context.logger.info(wanted == "running" ? "starting instances" : "stopping instances",
                                ["instances": .string(toChange.joined(separator: ","))])
            try await aws("\(wanted == "running" ? "starting" : "stopping") \(toChange.joined(separator: ", "))") {
                if wanted == "running" { try await api.startInstances(toChange) } else { try await api.stopInstances(toChange) }
            }
        }
        let progress = Progress(instanceIds: found.map(\.id), target: wanted, requestedAt: AWSTimestamp.now(),
                                clearsDrillRecords: context.undoesDrill ? true : nil)
        let verb = wanted == "running" ? "started" : "stopped"
        let message = context.undoesDrill && found.isEmpty ? "no instance carries a drill record: the drills started none of them"
            : toChange.isEmpty ? "all \(found.count) instance(s) already \(wanted) or on their way"
            : "\(verb) \(toChange.count) of \(found.count) instance(s)" + (context.undoesDrill ? " that the drill started" : "")
        return StartResult(checkpoint: progress.json, message: message)
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "EC2")
        if progress.instanceIds.isEmpty { return .succeeded(message: "nothing to undo: no instance carried a drill record") }
        let api = EC2(await clients.client(for: context, region: context.actingRegion))
        let found = try await aws("describing instances") { try await api.describeInstances(ids: progress.instanceIds) }
        if let missing = progress.instanceIds.first(where: { id in !found.contains { $0.id == id } }) {
            return .failed(reason: "instance \(missing) no longer exists", code: "InvalidInstanceID.NotFound")
        }
        if let gone = found.first(where: { $0.state == "terminated" || $0.state == "shutting-down" }) {
            return .failed(reason: "\(Self.label(gone)) is \(gone.state) (expected \(progress.target))", code: "InstanceTerminated")
        }
        // The opposite resting state after Lifeboat's request means it did not take (no capacity,
        // a volume that would not attach) or someone reverted it.
        let opposite = progress.target == "running" ? "stopped" : "running"
        if AWSTimestamp.now() - progress.requestedAt > Self.settleSeconds, let reverted = found.first(where: { $0.state == opposite }) {
            return .failed(reason: "\(Self.label(reverted)) is \(opposite) again, not \(progress.target); check its state reason in EC2",
                           code: "IncorrectInstanceState")
        }
        let waiting = found.filter { $0.state != progress.target }
        if waiting.isEmpty, progress.clearsDrillRecords == true {
            let marked = found.filter { DrillRecord(tags: $0.tags) != nil }.map(\.id)
            if !marked.isEmpty {
                try await aws("removing the drill records of \(marked.joined(separator: ", "))") { try await api.untag(marked, key: DrillRecord.tagKey) }
            }
            return .succeeded(message: found.isEmpty ? "nothing to undo: no instance carried a drill record"
                              : "stopped the \(found.count) instance(s) the drill started")
        }
        if waiting.isEmpty { return .succeeded(message: "\(found.count) instance(s) \(progress.target)") }
        let states = waiting.map { "\(Self.label($0)) \($0.state)" }.joined(separator: ", ")
        return .inProgress(message: "\(found.count - waiting.count)/\(found.count) \(progress.target); waiting for \(states)", nextPoll: .seconds(10))
    }
}
