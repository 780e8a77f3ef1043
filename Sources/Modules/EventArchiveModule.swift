import AWS
import Digest
import Engine
import LifeboatAPI
import YAML

/// Replays an EventBridge archive onto its bus in the acting region for a time window (Activate).
///
/// The replay's name is the `ReplayName` prefix and a suffix derived from the execution and the
/// resource, so a restarted run finds its own replay by name and adopts it (replays cannot be
/// started twice under one name), and another execution never collides with it.
///
/// A replay cannot be undone, so a drill (which replays into the standby's bus, delivering the
/// archived events to the standby's rules again) runs only when the resource's drill behaviour is
/// Execute; the catalog's default is Skip.
public struct EventArchiveModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .eventArchive) }

    struct Progress: Checkpoint {
        var replayName: String
        var archiveArn: String
        var destinationArn: String
        var window: String
    }

    /// `<prefix>-<12 hex>`: at most 40 + 13 characters, within the 64 EventBridge allows.
    static func replayName(prefix: String?, _ context: ModuleContext) -> String {
        (prefix ?? "lifeboat") + "-" + SHA256.hexHash(context.executionUID + "\u{1F}" + context.resourceName).prefix(12)
    }

    /// The archive's name and region, from `arn:aws:events:<region>:<account>:archive/<name>`.
    static func archive(_ arn: String) -> (name: String, region: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return (String(arn.split(separator: "/").last ?? ""), parts.count > 3 ? String(parts[3]) : "")
    }

    static func window(_ parameters: EventArchiveParameters) -> String {
        "\(AWSTimestamp.iso8601(Double(parameters.startTime.secondsSinceEpoch))) to \(AWSTimestamp.iso8601(Double(parameters.endTime.secondsSinceEpoch)))"
    }

    private func api(_ context: ModuleContext) async -> EventBridge {
        EventBridge(await clients.client(for: context, region: context.actingRegion))
    }

    /// The archive and the destination bus, checked to fit together: the archive must be in the
    /// acting region and keep the events of the bus the replay goes to (EventBridge replays only
    /// onto an archive's own bus).
    private func source(_ parameters: EventArchiveParameters, _ api: EventBridge, _ context: ModuleContext) async throws(ModuleError)
        -> (archive: EventBridge.Archive, busArn: String)
    {
        let (name, region) = Self.archive(parameters.eventArchiveArn)
        guard region == context.actingRegion else {
            throw .permanent("archive \(parameters.eventArchiveArn) is in \(region), but this phase acts in \(context.actingRegion): a replay reads an archive of its own region; name the \(context.actingRegion) archive (an !Import or resolve:ssm reference resolves in the acting region)",
                             code: "ArchiveInAnotherRegion")
        }
        let archive: EventBridge.Archive
        do throws(ModuleError) {
            archive = try await aws("reading archive \(name)") { try await api.describeArchive(name) }
        } catch where error.code == "ResourceNotFoundException" {
            throw .permanent("archive \(name) not found in account \(context.accountId), \(context.actingRegion)", code: "ResourceNotFoundException")
        }
        let busArn: String
        do throws(ModuleError) {
            busArn = try await aws("reading bus \(parameters.busName)") { try await api.busArn(parameters.busName) }
        } catch where error.code == "ResourceNotFoundException" {
            throw .permanent("event bus \(parameters.busName) not found in account \(context.accountId), \(context.actingRegion)", code: "ResourceNotFoundException")
        }
        guard archive.eventSourceArn == busArn else {
            throw .permanent("archive \(name) keeps the events of \(archive.eventSourceArn), not of \(busArn): EventBridge replays an archive only onto the bus it archives",
                             code: "CrossBusReplay")
        }
        return (archive, busArn)
    }

    private func existingReplay(_ name: String, _ api: EventBridge) async throws(ModuleError) -> EventBridge.Replay? {
        do throws(ModuleError) {
            return try await aws("reading replay \(name)") { try await api.describeReplay(name) }
        } catch where error.code == "ResourceNotFoundException" {
            return nil
        }
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let parameters = try ModuleParameters.decode(EventArchiveParameters.self, context, descriptor)
        let api = await api(context)
        let name = Self.replayName(prefix: parameters.replayName, context)
        if let replay = try await existingReplay(name, api) {
            return PreflightReport(findings: [.init(.ok, "replay \(name) of this execution already exists (\(replay.state)); Activate adopts it")])
        }
        var findings: [PreflightReport.Finding] = []
        do throws(ModuleError) {
            let (archive, busArn) = try await source(parameters, api, context)
            findings.append(.init(archive.state == "ENABLED" ? .ok : .warning,
                                  "archive \(archive.name) is \(archive.state), keeps the events of \(busArn) " + (archive.retentionDays == 0 ? "for ever" : "for \(archive.retentionDays) days")))
            if let created = archive.creationTime, Double(parameters.startTime.secondsSinceEpoch) < created {
                findings.append(.init(.warning, "the window starts before archive \(archive.name) was created (\(AWSTimestamp.iso8601(created))): events before then were never archived"))
            }
            findings.append(.init(.ok, "Activate replays \(Self.window(parameters)) onto \(busArn) as \(name)"))
        } catch where error.kind == .permanent {
            findings.append(.init(.blocking, error.message))
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let parameters = try ModuleParameters.decode(EventArchiveParameters.self, context, descriptor)
        let api = await api(context)
        let name = Self.replayName(prefix: parameters.replayName, context)
        // A restarted run: this execution's replay already exists under its name, so adopt it.
        if let replay = try await existingReplay(name, api) {
            let progress = Progress(replayName: name, archiveArn: replay.eventSourceArn, destinationArn: replay.destinationArn, window: Self.window(parameters))
            return StartResult(checkpoint: progress.json, message: "adopted replay \(name), already \(replay.state)")
        }
        let (archive, busArn) = try await source(parameters, api, context)
        context.logger.info("starting eventbridge replay", ["replay": .string(name), "archive": .string(archive.name), "bus": .string(busArn)])
        do throws(ModuleError) {
            _ = try await aws("starting replay \(name) of archive \(archive.name)") {
                try await api.startReplay(name: name, archiveArn: archive.arn, start: Double(parameters.startTime.secondsSinceEpoch),
                                          end: Double(parameters.endTime.secondsSinceEpoch), destinationArn: busArn,
                                          description: "Lifeboat \(context.executionName) \(context.resourceName)")
            }
        } catch where error.code == "ResourceAlreadyExistsException" {
            // Started by a concurrent attempt of this same execution between the read and here.
            context.logger.info("replay already started by this execution", ["replay": .string(name)])
        }
        let progress = Progress(replayName: name, archiveArn: archive.arn, destinationArn: busArn, window: Self.window(parameters))
        return StartResult(checkpoint: progress.json, message: "replaying \(progress.window) from \(archive.name) onto \(busArn) as \(name)")
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "EventArchive")
        guard let replay = try await existingReplay(progress.replayName, await api(context)) else {
            return .failed(reason: "replay \(progress.replayName) no longer exists in \(context.actingRegion)", code: "ReplayNotFound")
        }
        switch replay.state {
        case "COMPLETED":
            return .succeeded(message: "replayed \(progress.window) onto \(progress.destinationArn) (\(progress.replayName))")
        case "STARTING", "RUNNING":
            return .inProgress(message: "replay \(progress.replayName) is \(replay.state)", nextPoll: .seconds(15))
        default:
            return .failed(reason: "replay \(progress.replayName) is \(replay.state)" + (replay.stateReason.map { ": \($0)" } ?? ""),
                           code: "Replay" + replay.state.prefix(1) + replay.state.dropFirst().lowercased())
        }
    }
}
