import YAML

/// One converted resource in one phase, at its place in that phase's sequence of layers.
struct EnterpriseOccurrence: Sendable {
    let phase: Phase
    /// The phase's layer index (0-based) after flattening its steps.
    let position: Int
    let module: ModuleName
    /// A DNS label; not yet unique in the plan.
    let name: String
    let accountId: String?
    let parameters: JSONValue?
    let source: String
    let path: FieldPath
}

/// A plan resource before plan-wide naming: one or more occurrences that became one.
struct MergedResource: Sendable {
    var module: ModuleName
    var name: String
    var accountId: String?
    var parameters: JSONValue?
    var position: Int
    /// In `Phase.allCases` order.
    var phases: [Phase]
    /// The first occurrence, for ordering within a layer and for messages.
    var rank: Int
    var source: String
    var path: FieldPath
}

/// Rule 2 of docs/convert.md: the phases become one plan. A resource (module, name, account)
/// that every phase runs with the same parameters at the same layer position is one resource
/// with those phases; otherwise each occurrence is its own resource `<name>-<phase>`. Merged
/// layer i then holds exactly what each phase ran at its layer i, so every phase's order is kept.
enum EnterprisePhaseMerge {
    /// `ordinal` tells apart resources that share module, name and account within one phase
    /// (two apps may both have an "api"): the k-th of them in one phase matches the k-th in another.
    private struct Identity: Hashable {
        let module: ModuleName
        let name: String
        let accountId: String?
        let ordinal: Int
    }

    private struct PerPhase: Hashable {
        let module: ModuleName
        let name: String
        let accountId: String?
        let phase: Phase
    }

    static func merge(_ occurrences: [EnterpriseOccurrence], warnings: inout [ConversionWarning]) -> [MergedResource] {
        var order: [Identity] = []
        var groups: [Identity: [(rank: Int, occurrence: EnterpriseOccurrence)]] = [:]
        var seenInPhase: [PerPhase: Int] = [:]
        for (rank, occurrence) in occurrences.enumerated() {
            let key = PerPhase(module: occurrence.module, name: occurrence.name, accountId: occurrence.accountId, phase: occurrence.phase)
            let ordinal = seenInPhase[key, default: 0]
            seenInPhase[key] = ordinal + 1
            let identity = Identity(module: occurrence.module, name: occurrence.name, accountId: occurrence.accountId, ordinal: ordinal)
            if groups[identity] == nil { order.append(identity) }
            groups[identity, default: []].append((rank, occurrence))
        }
        var merged: [MergedResource] = []
        for identity in order {
            let group = groups[identity] ?? []
            guard let (firstRank, first) = group.first else { continue }
            if let reason = splitReason(group.map(\.occurrence)) {
                let names = group.map { EnterpriseResourceNaming.label(identity.name, suffix: $0.occurrence.phase.rawValue.lowercased()) }
                warnings.append(ConversionWarning(source: first.source, path: first.path,
                    "\"\(identity.name)\" (\(identity.module.rawValue)) is not the same in every phase: \(reason); converted to one resource per phase: \(names.joined(separator: ", "))"))
                for ((rank, occurrence), name) in zip(group, names) {
                    merged.append(MergedResource(module: occurrence.module, name: name, accountId: occurrence.accountId,
                                                 parameters: occurrence.parameters, position: occurrence.position,
                                                 phases: [occurrence.phase], rank: rank, source: occurrence.source, path: occurrence.path))
                }
            } else {
                let phases = Set(group.map(\.occurrence.phase))
                merged.append(MergedResource(module: first.module, name: first.name, accountId: first.accountId,
                                             parameters: first.parameters, position: first.position,
                                             phases: Phase.allCases.filter(phases.contains), rank: firstRank,
                                             source: first.source, path: first.path))
            }
        }
        return merged
    }

    /// Why the occurrences cannot be one resource; nil when they can.
    private static func splitReason(_ group: [EnterpriseOccurrence]) -> String? {
        guard let first = group.first, group.count > 1 else { return nil }
        if let other = group.first(where: { $0.position != first.position }) {
            return "it runs in layer \(first.position + 1) of \(first.phase.rawValue) but in layer \(other.position + 1) of \(other.phase.rawValue)"
        }
        if let other = group.first(where: { $0.parameters != first.parameters }) {
            return "its parameters in \(other.phase.rawValue) differ from those in \(first.phase.rawValue)"
        }
        return nil
    }
}
