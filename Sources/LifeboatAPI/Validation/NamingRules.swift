/// Name and identifier rules shared by the semantic validation.
public enum NamingRules {
    /// RFC 1123 label: what layer and resource names must be (they appear in gate ids, Events and
    /// idempotency tags).
    public static func isDNSLabel(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (1...63).contains(scalars.count), let first = scalars.first, let last = scalars.last else { return false }
        func alnum(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
        return alnum(first) && alnum(last) && scalars.allSatisfy { alnum($0) || $0 == "-" }
    }

    /// RFC 1123 subdomain: what Kubernetes requires of object names.
    public static func isDNSSubdomain(_ name: String) -> Bool {
        name.unicodeScalars.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    public static func isAccountID(_ id: String) -> Bool {
        id.utf8.count == 12 && id.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Shape of a region name (`us-east-1`, `us-gov-west-1`); see `knownRegions` for spelling.
    public static func isRegionName(_ region: String) -> Bool {
        let parts = region.split(separator: "-", omittingEmptySubsequences: false)
        guard (3...4).contains(parts.count), parts[0].count == 2, let number = parts.last, Int(number) != nil,
              parts.dropLast().allSatisfy({ !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) } })
        else { return false }
        return true
    }

    /// AWS regions this release knows. A well-formed name outside the list is only a warning:
    /// AWS opens regions faster than operators upgrade.
    public static let knownRegions: Set<String> = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-gov-east-1", "us-gov-west-1",
        "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
        "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7", "cn-north-1", "cn-northwest-1",
    ]
}
