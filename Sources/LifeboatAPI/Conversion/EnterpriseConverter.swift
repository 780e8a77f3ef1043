import YAML

/// `drctl convert enterprise`: turns the enterprise manifests of one product (all its phases)
/// into one DRPlan. Pure: the caller reads the files. The rules are in docs/convert.md.
public enum EnterpriseConverter {
    public static func convert(_ input: EnterpriseConversionInput) throws(ConversionError) -> (plan: DRPlan, warnings: [ConversionWarning]) {
        var warnings: [ConversionWarning] = []
        var occurrences: [EnterpriseOccurrence] = []
        var seenPhases: Set<Phase> = []
        for (phase, steps) in input.phases {
            guard seenPhases.insert(phase).inserted else {
                throw ConversionError(source: "conversion input", "phase \(phase.rawValue) is given twice",
                                      hint: "give each phase's product manifest (or application manifests) once")
            }
            let layers = try flatten(steps, phase: phase, warnings: &warnings)
            if layers.isEmpty {
                warnings.append(ConversionWarning(source: nil, path: nil, "\(phase.rawValue) has no resources; the plan does nothing in \(phase.rawValue)"))
            }
            occurrences += layers.joined()
        }
        guard !occurrences.isEmpty else {
            throw ConversionError(source: "conversion input", "the manifests hold no resources to convert",
                                  hint: "pass the product manifests (or application manifests) of at least one phase")
        }

        var merged = EnterprisePhaseMerge.merge(occurrences, warnings: &warnings)
        merged.sort { ($0.position, $0.rank) < ($1.position, $1.rank) }
        var names = EnterpriseResourceNaming.UniqueNames()
        for index in merged.indices {
            let unique = names.claim(merged[index].name)
            if unique != merged[index].name {
                warnings.append(ConversionWarning(source: merged[index].source, path: merged[index].path,
                    "another resource is already named \"\(merged[index].name)\"; this one is named \"\(unique)\""))
                merged[index].name = unique
            }
        }
        let accounts = accountSettings(merged, defaultAccount: input.defaultAccount, warnings: &warnings)

        // Merged layer i = every resource at position i (already sorted by position, then rank).
        var byPosition: [Int: [Resource]] = [:]
        for resource in merged {
            let supported = ModuleCatalog.descriptor(for: resource.module).supportedPhases
            byPosition[resource.position, default: []].append(Resource(
                name: resource.name, module: resource.module,
                accountId: accounts.omitResourceAccounts ? nil : resource.accountId,
                phases: resource.phases == supported ? nil : resource.phases,
                parameters: resource.parameters))
        }
        let layers = byPosition.keys.sorted().enumerated().map { number, position in
            Layer(name: "layer-\(number + 1)", resources: byPosition[position] ?? [])
        }
        let product = input.productName ?? input.planName
        let spec = DRPlanSpec(
            description: input.description ?? "Converted from the enterprise manifests of \(product)",
            regions: RegionPair(primary: input.primaryRegion, secondary: input.secondaryRegion),
            accounts: AccountSettings(default: accounts.default),
            layers: layers)
        let plan = DRPlan(metadata: ObjectMeta(name: input.planName, namespace: input.namespace), spec: spec)
        return (plan, warnings)
    }

    /// A plan name from an enterprise product name: a DNS label ("Payments_EU" → "payments-eu").
    public static func planName(forProduct productName: String) -> String {
        let label = EnterpriseResourceNaming.dnsLabel(productName)
        return label.isEmpty ? "enterprise-plan" : label
    }

    // MARK: - Phases

    /// Rule 1: a phase's steps in order; within a step, the parallel manifests' layers aligned by
    /// position (layer j of the step = every manifest's j-th layer). Empty layers are left out.
    private static func flatten(_ steps: [[EnterpriseApplicationManifest]], phase: Phase,
                                warnings: inout [ConversionWarning]) throws(ConversionError) -> [[EnterpriseOccurrence]] {
        var layers: [[EnterpriseOccurrence]] = []
        for step in steps {
            var perManifest: [[[Draft]]] = []
            for manifest in step {
                perManifest.append(try drafts(of: manifest, phase: phase, warnings: &warnings))
            }
            let depth = perManifest.map(\.count).max() ?? 0
            for j in 0..<depth {
                let union = perManifest.flatMap { j < $0.count ? $0[j] : [] }
                guard !union.isEmpty else { continue }
                let position = layers.count
                layers.append(union.map { draft in
                    EnterpriseOccurrence(phase: phase, position: position, module: draft.module, name: draft.name,
                                         accountId: draft.accountId, parameters: draft.parameters,
                                         source: draft.source, path: draft.path)
                })
            }
        }
        return layers
    }

    /// A converted resource before its phase position is known.
    private struct Draft {
        let module: ModuleName
        let name: String
        let accountId: String?
        let parameters: JSONValue?
        let source: String
        let path: FieldPath
    }

    /// The manifest's resources per manifest layer (empty where nothing runs in this phase).
    private static func drafts(of manifest: EnterpriseApplicationManifest, phase: Phase,
                               warnings: inout [ConversionWarning]) throws(ConversionError) -> [[Draft]] {
        let source = manifest.source
        warnings += manifest.warnings
        if let named = Phase.enterprisePhase(fromFileName: source), named != phase {
            warnings.append(ConversionWarning(source: source, path: nil,
                "the file name says \(named.enterpriseName) but the manifest is used for \(phase.enterpriseName)"))
        }
        var ordinal = 0
        var layers: [[Draft]] = []
        for layer in manifest.layers {
            var drafts: [Draft] = []
            for resource in layer.resources {
                ordinal += 1
                drafts += try convert(resource, ordinal: ordinal, phase: phase, source: source, warnings: &warnings)
            }
            layers.append(drafts)
        }
        return layers
    }

    /// Rules 3–6 for one enterprise resource: zero (module does not run in this phase), one, or
    /// several (a list of dicts for a module that takes one object) Lifeboat resources.
    private static func convert(_ resource: EnterpriseApplicationManifest.Resource, ordinal: Int, phase: Phase,
                                source: String, warnings: inout [ConversionWarning]) throws(ConversionError) -> [Draft] {
        let module = resource.module
        guard ModuleCatalog.descriptor(for: module).supportedPhases.contains(phase) else {
            warnings.append(ConversionWarning(source: source, path: resource.path,
                "\(module.rawValue) does not run in \(phase.rawValue) (the enterprise module raised \"\(phase.rawValue) is not applicable\"); left out of \(phase.rawValue)"))
            return []
        }
        let name = resourceName(resource, ordinal: ordinal, source: source, warnings: &warnings)
        var found: [FoundAccount] = []
        if let value = resource.accountId,
           let account = try EnterpriseAccountID.normalize(value, at: resource.path.key("AccountId"), source: source, warnings: &warnings) {
            found.append(FoundAccount(value: account, path: resource.path.key("AccountId")))
        }
        if let note = EnterpriseParameterSpelling.reviewNotes[module] {
            warnings.append(ConversionWarning(source: source, path: resource.path.key("parameters"), "\(module.rawValue): \(note)"))
        }
        let converter = EnterpriseParameterConverter(module: module, source: source)
        let results = try converter.convert(resource.parameters, at: resource.path.key("parameters"), warnings: &warnings)
        if results.count > 1 {
            warnings.append(ConversionWarning(source: source, path: resource.path.key("parameters"),
                "\(module.rawValue) takes one parameters object and this resource lists \(results.count); converted to \(results.count) resources \(name)-1 … \(name)-\(results.count)"))
        }
        var drafts: [Draft] = []
        for (index, result) in results.enumerated() {
            let account = try EnterpriseAccountID.agreed(found + result.accounts, source: source)
            drafts.append(Draft(module: module,
                                name: results.count > 1 ? EnterpriseResourceNaming.label(name, suffix: String(index + 1)) : name,
                                accountId: account, parameters: result.parameters, source: source, path: resource.path))
        }
        return drafts
    }

    /// Rule 4: the resourceName as a DNS label; `<module>-<n>` when there is none.
    private static func resourceName(_ resource: EnterpriseApplicationManifest.Resource, ordinal: Int, source: String,
                                     warnings: inout [ConversionWarning]) -> String {
        let written = resource.resourceName ?? ""
        let label = EnterpriseResourceNaming.dnsLabel(written)
        if label.isEmpty {
            let derived = EnterpriseResourceNaming.label(resource.module.rawValue.lowercased(), suffix: String(ordinal))
            warnings.append(ConversionWarning(source: source, path: resource.path,
                written.isEmpty ? "no resourceName; named \"\(derived)\"" : "resourceName \"\(written.prefix(80))\" has no usable characters; named \"\(derived)\""))
            return derived
        }
        if label != written {
            warnings.append(ConversionWarning(source: source, path: resource.path.key("resourceName"),
                "resourceName \"\(written.prefix(80))\" is not a DNS label; named \"\(label)\""))
        }
        return label
    }

    // MARK: - Accounts

    /// Rule 5: one account everywhere becomes `spec.accounts.default`; otherwise each resource
    /// keeps its own (and the caller's default, if any, covers resources that name none).
    private static func accountSettings(_ resources: [MergedResource], defaultAccount: String?,
                                        warnings: inout [ConversionWarning]) -> (default: String?, omitResourceAccounts: Bool) {
        let named = Set(resources.compactMap(\.accountId))
        if let defaultAccount {
            return (defaultAccount, named.isSubset(of: [defaultAccount]))
        }
        if named.count == 1, let only = named.first {
            for resource in resources where resource.accountId == nil {
                warnings.append(ConversionWarning(source: resource.source, path: resource.path,
                    "\"\(resource.name)\" names no AccountId; it uses the only account in the manifests, \(only)"))
            }
            return (only, true)
        }
        for resource in resources where resource.accountId == nil {
            warnings.append(ConversionWarning(source: resource.source, path: resource.path,
                "\"\(resource.name)\" names no AccountId and the manifests use \(named.isEmpty ? "none" : "several"); pass a default account or add AccountId"))
        }
        return (nil, false)
    }
}
