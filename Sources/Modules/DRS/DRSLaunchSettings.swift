import AWS
import Engine

/// A server's effective launch settings: the group's `LaunchSettings` with its
/// `ServerOverrides` entry laid over them (or replacing them, with `UseGroupDefaults: false`),
/// split into what DRS's launch configuration holds and what its EC2 launch template holds.
struct DRSLaunchSettings: Sendable, Hashable {
    var drs: DRS.LaunchConfiguration
    var template: EC2.LaunchTemplateSettings

    var isEmpty: Bool { drs == DRS.LaunchConfiguration() && template == EC2.LaunchTemplateSettings() }

    /// The description of the launch template versions Lifeboat creates.
    static let versionDescription = "Lifeboat launch settings"

    static func effective(for server: DRS.SourceServer, _ parameters: ModuleParameters) -> DRSLaunchSettings {
        let group = parameters.nested("LaunchSettings")
        let override = parameters.items("ServerOverrides").first { item in
            if let id = item.string("SourceServerId") { return id == server.id }
            if let host = item.string("HostName") { return DRSServerSelection.normalized(host) == DRSServerSelection.normalized(server.hostname ?? "") }
            return false
        }
        let base = override?.bool("UseGroupDefaults") == false ? nil : group
        func pick<T>(_ read: (ModuleParameters) -> T?) -> T? { override.flatMap(read) ?? base.flatMap(read) }
        var settings = DRSLaunchSettings(
            drs: DRS.LaunchConfiguration(copyPrivateIp: pick { $0.bool("CopyPrivateIp") }, copyTags: pick { $0.bool("CopyTags") },
                                         launchDisposition: pick { $0.string("LaunchDisposition") }, osByol: pick { $0.bool("OsByol") },
                                         targetInstanceTypeRightSizingMethod: pick { $0.string("TargetInstanceTypeRightSizingMethod") },
                                         postLaunchEnabled: pick { $0.bool("PostLaunchEnabled") }),
            template: EC2.LaunchTemplateSettings(instanceType: pick { $0.string("InstanceType") }, subnetID: pick { $0.string("SubnetId") },
                                                 securityGroupIDs: pick { $0.strings("SecurityGroupIds") },
                                                 privateIP: override?.string("StaticPrivateIp"),
                                                 instanceProfileName: pick { $0.string("InstanceProfileName") }))
        // A static address and DRS copying the source's address cannot both hold.
        if settings.template.privateIP != nil { settings.drs.copyPrivateIp = false }
        return settings
    }

    /// Brings DRS and the launch template to these settings, changing only what differs (a
    /// restarted run changes nothing). Returns what it changed, for the start message.
    func apply(to server: DRS.SourceServer, drsAPI: DRS, ec2API: EC2) async throws(ModuleError) -> [String] {
        guard !isEmpty else { return [] }
        let label = DRSServerSelection.label(server)
        var changed: [String] = []
        let current = try await aws("reading the launch configuration of \(label)") { try await drsAPI.getLaunchConfiguration(sourceServerID: server.id) }
        let updates = current.changes(toward: drs)
        if !updates.isEmpty {
            try await aws("updating the launch configuration of \(label)") { try await drsAPI.updateLaunchConfiguration(sourceServerID: server.id, changes: updates) }
            changed.append("\(label): DRS " + updates.keys.joined(separator: ", "))
        }
        guard template != EC2.LaunchTemplateSettings() else { return changed }
        guard let templateID = current.ec2LaunchTemplateID else {
            throw .permanent("\(label) has no EC2 launch template in DRS; cannot apply InstanceType, SubnetId, SecurityGroupIds, StaticPrivateIp or InstanceProfileName",
                             code: "LaunchTemplateMissing")
        }
        let (defaultVersion, existing) = try await aws("reading launch template \(templateID) of \(label)") { try await ec2API.defaultLaunchTemplateVersion(templateID) }
        if !existing.satisfies(template) {
            let merged = existing.merging(template)
            // A start that died between creating the version and making it the default left it
            // behind as the newest version: that one becomes the default, not a second copy.
            let latest = try await aws("reading launch template \(templateID) of \(label)") { try await ec2API.latestLaunchTemplateVersion(templateID) }
            let version: Int
            if latest.version > defaultVersion, latest.description == Self.versionDescription, latest.settings.satisfies(merged) {
                version = latest.version
            } else {
                version = try await aws("creating a launch template version for \(label)") {
                    try await ec2API.createLaunchTemplateVersion(templateID, settings: merged, description: Self.versionDescription)
                }
            }
            try await aws("making version \(version) the default of \(templateID)") { try await ec2API.setDefaultLaunchTemplateVersion(templateID, version: version) }
            changed.append("\(label): launch template \(templateID) v\(version)")
        }
        return changed
    }
}
