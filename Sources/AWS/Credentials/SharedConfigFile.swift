/// `~/.aws/config` and `~/.aws/credentials`: INI sections of `key = value`. In the config file
/// profiles are `[profile name]` (except `[default]`); in the credentials file they are `[name]`.
/// Values from the credentials file win, as in the SDKs. Nested sub-sections (indented lines
/// under `s3 =`) are skipped: Lifeboat reads only top-level keys.
public struct SharedConfigFile: Sendable, Hashable {
    public private(set) var profiles: [String: [String: String]] = [:]

    public init() {}

    public init(config: String?, credentials: String?) {
        if let config { merge(Self.sections(config, isConfigFile: true)) }
        if let credentials { merge(Self.sections(credentials, isConfigFile: false)) }
    }

    public func profile(_ name: String) -> [String: String]? { profiles[name] }

    private mutating func merge(_ sections: [String: [String: String]]) {
        for (name, values) in sections { profiles[name, default: [:]].merge(values) { _, new in new } }
    }

    static func sections(_ text: String, isConfigFile: Bool) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if rawLine.first == " " || rawLine.first == "\t" { continue }  // a sub-section value
            let line = String(rawLine).trimmingCharacters()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingCharacters()
                if isConfigFile {
                    if name.hasPrefix("profile ") { name = String(name.dropFirst("profile ".count)).trimmingCharacters() }
                    else if name != "default" { current = nil; continue }  // [sso-session x], [services x]
                }
                current = name
                result[name, default: [:]] = result[name] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters().lowercased()
            var value = String(line[line.index(after: equals)...]).trimmingCharacters()
            if let comment = value.range(of: " #") ?? value.range(of: "\t#") { value = String(value[..<comment.lowerBound]).trimmingCharacters() }
            result[current]?[key] = value
        }
        return result
    }
}

extension String {
    fileprivate func range(of needle: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
