import AWS
import LifeboatAPI
import Engine

/// Which source servers a DRS resource means, resolved at run time against DRS itself (the
/// set behind a tag selector changes as servers are added). Exactly one selector is given:
/// ids; host names (`identificationHints.hostname`, compared case-insensitively); or tags —
/// a server matches when it carries every tag, keys equal after trimming, values equal after
/// trimming and ignoring case (the DRS orchestration solution's rule).
enum DRSServerSelection {
    static func select(_ parameters: ModuleParameters, from servers: [DRS.SourceServer], region: String) throws(ModuleError) -> [DRS.SourceServer] {
        if let ids = parameters.strings("SourceServerIds") {
            let missing = ids.filter { id in !servers.contains { $0.id == id } }
            if !missing.isEmpty {
                throw .permanent("source server \(missing.joined(separator: ", ")) not found in DRS in \(region)", code: "ResourceNotFoundException")
            }
            return ids.compactMap { id in servers.first { $0.id == id } }
        }
        if let hosts = parameters.strings("HostNames") {
            var selected: [DRS.SourceServer] = []
            for host in hosts {
                let matches = servers.filter { normalized($0.hostname ?? "") == normalized(host) }
                guard !matches.isEmpty else {
                    throw .permanent("no source server in DRS in \(region) has host name \(host)", code: "ResourceNotFoundException")
                }
                guard matches.count == 1 else {
                    throw .permanent("\(matches.count) source servers in \(region) have host name \(host) (\(matches.map(\.id).joined(separator: ", "))); name them with SourceServerIds",
                                     code: "AmbiguousHostName")
                }
                selected.append(matches[0])
            }
            return selected
        }
        let wanted = parameters.stringMap("Tags") ?? [:]
        let selected = servers.filter { matches(tags: $0.tags, selector: wanted) }.sorted { $0.id < $1.id }
        guard !selected.isEmpty else {
            let text = wanted.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            throw .permanent("no source server in DRS in \(region) carries all of the tags \(text)", code: "ResourceNotFoundException")
        }
        return selected
    }

    static func matches(tags: [String: String], selector: [String: String]) -> Bool {
        let trimmed = Dictionary(tags.map { ($0.key.trimmingWhitespace(), normalized($0.value)) }, uniquingKeysWith: { first, _ in first })
        return selector.allSatisfy { key, value in trimmed[key.trimmingWhitespace()] == normalized(value) }
    }

    static func normalized(_ text: String) -> String { text.trimmingWhitespace().lowercased() }


    /// Replication states a recovery can launch from, and those it cannot.
    static let unlaunchableStates: Set<String> = ["STOPPED", "DISCONNECTED", "INITIATING", "INITIAL_SYNC"]
    static let degradedStates: Set<String> = ["STALLED", "PAUSED", "BACKLOG"]

    static func label(_ server: DRS.SourceServer) -> String {
        server.hostname.map { "\($0) (\(server.id))" } ?? server.id
    }
}
