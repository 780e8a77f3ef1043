import YAML

/// AWS Elastic Disaster Recovery (MODULES.md): recovery launches, source disconnection and
/// reverse replication for a set of source servers chosen by id, host name or tags.
enum DRSModule {
    static let descriptor = ModuleDescriptor(
        name: .drs,
        summary: "Elastic Disaster Recovery: launch recovery (or drill) instances, clean up after them, start reverse replication",
        supportedPhases: [.activate, .cleanup, .replicate],
        defaultTimeout: .hours(2),
        drillDefault: .execute,
        parameters: ObjectSchema(
            [
                .optional("SourceServerIds", .list(.string(.format(.drsSourceServerId)), ListRule(unique: .strings())),
                          notes: "selector: source servers by id"),
                .optional("HostNames", .list(.string(StringRule(maxLength: 255)), ListRule(unique: .strings(caseInsensitive: true))),
                          notes: "selector: source servers by identificationHints.hostname"),
                .optional("Tags", .stringMap(), notes: "selector: source servers carrying all these tags (keys exact, values case-insensitive, both trimmed)"),
                .optional("LaunchSettings", .object(groupLaunchSettings), notes: "launch settings applied to every selected server"),
                .optional("ServerOverrides", .list(.object(serverOverride), ListRule(minItems: 0, unique: sameServer)),
                          notes: "per-server launch settings"),
                .optional("DisconnectSource", .boolean(), default: false,
                          notes: "Recovery Cleanup: stop replication and disconnect the old source servers"),
                .optional("JobTags", .stringMap(), notes: "tags added to every StartRecovery job (the enterprise DRS module's Tags); keys under lifeboat.dev/ are Lifeboat's own"),
                .optional("MaxServersPerJob", .integer(.range(1...100)), default: 100,
                          notes: "servers per StartRecovery job (the DRS quota is 100)"),
            ],
            rules: [
                .exactlyOne(["SourceServerIds", "HostNames", "Tags"]),
                .custom(inheritedCopyPrivateIp),
                .custom(sharedStaticIps),
                .custom(unselectedOverrides),
                .custom { object in
                    guard let tags = object.object["JobTags"]?.objectValue else { return [] }
                    return tags.compactMap { key, _ in
                        key.hasPrefix("lifeboat.dev/")
                            ? ValidationProblem(object.path("JobTags").key(key), "\(key) is a tag Lifeboat sets on its jobs to find them after a restart",
                                                hint: "use a key outside lifeboat.dev/")
                            : nil
                    }
                },
            ],
            formerNames: ["ProtectionGroupTags": "Tags"]))

    /// Settings that can be given for the group and per server. The first six go through
    /// drs:UpdateLaunchConfiguration; the rest become a new EC2 launch-template version.
    static let launchSettingFields: [ParameterField] = [
        .optional("CopyPrivateIp", .boolean(), notes: "DRS: reuse the source server's private IP"),
        .optional("CopyTags", .boolean(), notes: "DRS: copy the source server's tags"),
        .optional("LaunchDisposition", .string(.oneOf(["STOPPED", "STARTED"])), notes: "DRS: state of the launched instance"),
        .optional("OsByol", .boolean(), notes: "DRS: bring your own OS licence"),
        .optional("TargetInstanceTypeRightSizingMethod", .string(.oneOf(["NONE", "BASIC", "IN_AWS"])),
                  notes: "DRS: instance type right-sizing; NONE to use InstanceType"),
        .optional("PostLaunchEnabled", .boolean(), notes: "DRS: run post-launch actions"),
        .optional("InstanceType", .string(.format(.ec2InstanceType)), notes: "launch template: e.g. m5.large"),
        .optional("SubnetId", .string(.format(.subnetId)), notes: "launch template: recovery subnet"),
        .optional("SecurityGroupIds", .list(.string(.format(.securityGroupId)), ListRule(unique: .strings())),
                  notes: "launch template: security groups"),
        .optional("StaticPrivateIp", .string(.format(.privateIPv4)),
                  notes: "launch template: private IPv4 (RFC 1918) in SubnetId; only in ServerOverrides"),
        .optional("InstanceProfileName", .string(StringRule(maxLength: 128, format: .instanceProfileName)),
                  notes: "launch template: IAM instance profile"),
    ]

    static let groupLaunchSettings = ObjectSchema(
        launchSettingFields,
        rules: [
            .custom { settings in
                guard settings.has("StaticPrivateIp") else { return [] }
                return [ValidationProblem(settings.path("StaticPrivateIp"), "StaticPrivateIp applies to every server in LaunchSettings, so they would all get the same address",
                                          hint: "set StaticPrivateIp per server in ServerOverrides")]
            },
            .custom(rightSizingOverridesInstanceType),
        ])

    static let serverOverride = ObjectSchema(
        [
            .optional("SourceServerId", .string(.format(.drsSourceServerId)), notes: "the server, by id"),
            .optional("HostName", .string(StringRule(maxLength: 255)), notes: "the server, by identificationHints.hostname"),
            .optional("UseGroupDefaults", .boolean(), default: true,
                      notes: "true: these settings refine LaunchSettings; false: LaunchSettings is ignored for this server"),
        ] + launchSettingFields,
        rules: [
            .exactlyOne(["SourceServerId", "HostName"]),
            .custom { server in
                guard server.bool("CopyPrivateIp") == true, server.has("StaticPrivateIp") else { return [] }
                return [ValidationProblem(server.path("StaticPrivateIp"), "CopyPrivateIp: true and StaticPrivateIp both set the private IP",
                                          hint: "remove StaticPrivateIp, or set CopyPrivateIp: false")]
            },
            .custom(rightSizingOverridesInstanceType),
        ])

    /// The same server twice would make the launch settings depend on list order.
    private static let sameServer = UniqueRule(what: "the same server") { value in
        guard let object = value.objectValue else { return nil }
        if let id = object["SourceServerId"]?.literalString { return "id:" + id }
        if let host = object["HostName"]?.literalString { return "host:" + host.trimmingWhitespace().lowercased() }
        return nil
    }

    /// DRS replaces the launch template's instance type when right-sizing is on.
    private static func rightSizingOverridesInstanceType(_ settings: ObjectCheckContext) -> [ValidationProblem] {
        guard settings.has("InstanceType"), let method = settings.string("TargetInstanceTypeRightSizingMethod"), method != "NONE" else { return [] }
        return [.warning(settings.path("InstanceType"), "InstanceType is ignored while TargetInstanceTypeRightSizingMethod is \(method)",
                         hint: "set TargetInstanceTypeRightSizingMethod: NONE to use InstanceType")]
    }

    /// A server that inherits `CopyPrivateIp: true` from the group cannot also take a static IP.
    private static func inheritedCopyPrivateIp(_ root: ObjectCheckContext) -> [ValidationProblem] {
        guard let group = root.nestedObject("LaunchSettings"),
              ObjectCheckContext(object: group, path: root.path("LaunchSettings"), phases: root.phases).bool("CopyPrivateIp") == true
        else { return [] }
        return overrides(root).compactMap { server in
            guard server.has("StaticPrivateIp"), server.bool("UseGroupDefaults") != false, !server.has("CopyPrivateIp") else { return nil }
            return ValidationProblem(server.path("StaticPrivateIp"), "this server inherits CopyPrivateIp: true from LaunchSettings, which conflicts with StaticPrivateIp",
                                     hint: "add CopyPrivateIp: false to this override")
        }
    }

    /// Two servers launched with one address: the second launch fails mid-recovery.
    private static func sharedStaticIps(_ root: ObjectCheckContext) -> [ValidationProblem] {
        var first: [String: FieldPath] = [:]
        var problems: [ValidationProblem] = []
        for server in overrides(root) {
            guard let ip = server.string("StaticPrivateIp") else { continue }
            if let earlier = first[ip] {
                problems.append(ValidationProblem(server.path("StaticPrivateIp"), "\(ip) is already assigned at \(earlier)",
                                                  hint: "give each server its own address"))
            } else {
                first[ip] = server.path("StaticPrivateIp")
            }
        }
        return problems
    }

    /// An override naming a server the selector does not pick has no effect; likely a typo.
    private static func unselectedOverrides(_ root: ObjectCheckContext) -> [ValidationProblem] {
        let ids = root.object["SourceServerIds"]?.arrayValue.map { Set($0.compactMap(\.literalString)) }
        let hosts = root.object["HostNames"]?.arrayValue.map { Set($0.compactMap { $0.literalString?.trimmingWhitespace().lowercased() }) }
        let selectorIsLiteral = root.object["SourceServerIds"]?.arrayValue?.allSatisfy { $0.literalString != nil } ?? false
            || root.object["HostNames"]?.arrayValue?.allSatisfy { $0.literalString != nil } ?? false
        guard selectorIsLiteral else { return [] }
        return overrides(root).compactMap { server in
            if let ids, let id = server.string("SourceServerId"), !ids.contains(id) {
                return .warning(server.path("SourceServerId"), "\(id) is not in SourceServerIds, so this override has no effect",
                                hint: "add \(id) to SourceServerIds, or remove the override")
            }
            if let hosts, let host = server.string("HostName"), !hosts.contains(host.trimmingWhitespace().lowercased()) {
                return .warning(server.path("HostName"), "\(host) is not in HostNames, so this override has no effect",
                                hint: "add \(host) to HostNames, or remove the override")
            }
            return nil
        }
    }

    /// The ServerOverrides items that are objects, each with its own path.
    private static func overrides(_ root: ObjectCheckContext) -> [ObjectCheckContext] {
        guard let items = root.object["ServerOverrides"]?.arrayValue else { return [] }
        return items.enumerated().compactMap { index, item in
            item.objectValue.map { ObjectCheckContext(object: $0, path: root.path("ServerOverrides").index(index), phases: root.phases) }
        }
    }
}
