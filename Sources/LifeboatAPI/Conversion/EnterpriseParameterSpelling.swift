/// Which parameter keys a module knows, and which enterprise spellings map to them. The keys come
/// from the module catalog (the source of truth), and so do the enterprise spellings
/// (`formerNames`: the misspellings the enterprise code itself read, such as `Aias`).
struct EnterpriseParameterSpelling {
    /// The keys the catalog knows at this level (the root object, or an `Items` element).
    let known: [String]
    /// Enterprise key → catalog key, with the reason shown in the warning.
    let renames: [String: (key: String, why: String)]
    /// Enterprise key → catalog key for keys the enterprise module read with another meaning when
    /// one of `alongside` is given too (checked before `known`, which holds the same spelling with
    /// Lifeboat's meaning).
    let meanings: [String: (key: String, alongside: [String], why: String)]

    // ---------------------------------------------------------------------------------------
    /// Modules whose enterprise parameters changed meaning, not only name: the converter cannot
    /// fix the values, so it asks the person to check them (one warning per resource).
    static let reviewNotes: [ModuleName: String] = [
        .elastiCache: "the enterprise module built the regional group id as <DBClusterIdentifier>-<region> and prefixed the global id by region; check that ReplicationGroupId and GlobalReplicationGroupId hold the full AWS ids",
    ]
    /// Enterprise keys that mean another catalog key of the same spelling's module, when the
    /// object also has one of `alongside`. The seed's DRS adapter selected servers by `HostNames`
    /// and passed `Tags` to StartRecovery as the job's tags, while Lifeboat's `Tags` selects
    /// servers: beside a selector, enterprise `Tags` are `JobTags`; alone, they are read as the
    /// selector (the enterprise adapter would have selected nothing).
    static let meanings: [ModuleName: [String: (key: String, alongside: [String])]] = [
        .drs: ["Tags": ("JobTags", alongside: ["HostNames", "SourceServerIds"])],
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
            renames[old] = (new, "the enterprise spelling of \(module.rawValue)'s \"\(new)\"")
        }
        var meanings: [String: (key: String, alongside: [String], why: String)] = [:]
        for (old, meaning) in Self.meanings[module] ?? [:] where known.contains(meaning.key) {
            meanings[old] = (meaning.key, meaning.alongside,
                             "the enterprise \(module.rawValue) module's \"\(old)\" beside \(meaning.alongside.joined(separator: " or ")) meant \(meaning.key) (tags for the recovery jobs), not Lifeboat's server selector")
        }
        self.meanings = meanings
        self.known = known
        self.renames = renames
    }
}
