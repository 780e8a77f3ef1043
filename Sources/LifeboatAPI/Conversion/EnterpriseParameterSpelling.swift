/// Which parameter keys a module knows, and which enterprise spellings map to them. The keys come
/// from the module catalog (the source of truth); the misspellings below are the ones the
/// enterprise code itself read, so real manifests contain them (MODULES.md).
struct EnterpriseParameterSpelling {
    /// The keys the catalog knows at this level (the root object, or an `Items` element).
    let known: [String]
    /// Enterprise key → catalog key, with the reason shown in the warning.
    let renames: [String: (key: String, why: String)]

    // ---------------------------------------------------------------------------------------
    // PRIVATE TABLE (conversion only): the misspellings the enterprise code read. Kept here
    // until the catalog's `formerNames` carries them for every module (R53Record's item schema
    // and AutoScaling have none today; EC2 has Orchestrator_HostNames). Entries whose target is
    // not a known key at that level are ignored, so this table cannot invent keys.
    private static let knownMisspellings: [ModuleName: [String: String]] = [
        .r53Record: ["Aias": "Alias"],
        .autoScaling: ["Autoscalinggroupnames": "AutoScalingGroupNames"],
        .ec2: ["Orchestrator_HostNames": "HostNames"],
    ]

    /// Modules whose enterprise parameters changed meaning, not only name: the converter cannot
    /// fix the values, so it asks the person to check them (one warning per resource).
    static let reviewNotes: [ModuleName: String] = [
        .elastiCache: "the enterprise module built the regional group id as <DBClusterIdentifier>-<region> and prefixed the global id by region; check that ReplicationGroupId and GlobalReplicationGroupId hold the full AWS ids",
    ]
    // ---------------------------------------------------------------------------------------

    /// Whether the module takes the enterprise "list of dicts" as `Items: [...]`.
    static func takesItems(_ module: ModuleName) -> Bool {
        ModuleCatalog.descriptor(for: module).parameters.objectSchema?.field(named: "Items") != nil
    }

    /// The spelling of the root parameters object.
    static func root(_ module: ModuleName) -> EnterpriseParameterSpelling {
        EnterpriseParameterSpelling(module: module, schema: ModuleCatalog.descriptor(for: module).parameters.objectSchema)
    }

    /// The spelling of one `Items` element.
    static func item(_ module: ModuleName) -> EnterpriseParameterSpelling {
        let items = ModuleCatalog.descriptor(for: module).parameters.objectSchema?.field(named: "Items")
        return EnterpriseParameterSpelling(module: module, schema: items?.schema.itemSchema?.objectSchema)
    }

    private init(module: ModuleName, schema: ObjectSchema?) {
        let known = schema?.fieldNames ?? []
        var renames: [String: (key: String, why: String)] = [:]
        for (old, new) in schema?.formerNames ?? [:] where known.contains(new) {
            renames[old] = (new, "the enterprise name of \(module.rawValue)'s \"\(new)\"")
        }
        for (old, new) in Self.knownMisspellings[module] ?? [:] where known.contains(new) {
            renames[old] = (new, "a known misspelling of \"\(new)\" in the enterprise \(module.rawValue) module")
        }
        self.known = known
        self.renames = renames
    }
}
