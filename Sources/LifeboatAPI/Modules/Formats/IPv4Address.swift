/// A dotted-quad IPv4 address (`10.0.1.25`). Leading zeros are refused: `010.0.0.1` means 8.0.0.1
/// to some parsers and 10.0.0.1 to others.
struct IPv4Address: Sendable, Hashable {
    let octets: [UInt8]

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit),
                  part.count == 1 || part.first != "0", let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        self.octets = octets
    }

    /// RFC 1918 space: a VPC can only hand out these (or its secondary CIDRs, which are usually too).
    var isPrivate: Bool {
        octets[0] == 10 || (octets[0] == 172 && (16...31).contains(octets[1])) || (octets[0] == 192 && octets[1] == 168)
    }

    /// A loose IPv6 check for AAAA record values: hex groups and colons, at most one `::`.
    static func isIPv6(_ text: String) -> Bool {
        guard text.count >= 2, text.count <= 45, text.contains(":") else { return false }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count <= 9, text.ranges(of: "::").count <= 1 else { return false }
        return groups.allSatisfy { group in
            group.count <= 4 && group.allSatisfy(\.isASCIIHexDigit) || IPv4Address(String(group)) != nil
        }
    }
}
