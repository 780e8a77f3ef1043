/// Building blocks shared by the AWS formats: the "letter first, letters/digits/hyphens, no
/// trailing or doubled hyphen" identifier family (RDS, ElastiCache, MemoryDB) and ARN pieces.
extension StringFormat {
    /// RDS, ElastiCache and MemoryDB names. Each failure says which rule broke, since "invalid
    /// identifier" alone sends people to the AWS docs.
    static func hyphenatedIdentifier(_ name: String, maxLength: Int, lowercaseOnly: Bool = false) -> StringFormat {
        let letters = lowercaseOnly ? "lower-case letters" : "letters"
        return StringFormat(
            name: name,
            hint: "1–\(maxLength) \(letters), digits and hyphens, starting with a letter, without a trailing hyphen or two hyphens in a row"
        ) { value in
            guard value.count <= maxLength else { return "is longer than \(maxLength) characters" }
            guard let first = value.first, first.isASCIILetter else { return "\"\(value.truncatedForMessage)\" must start with a letter" }
            if let bad = value.first(where: { !($0.isASCIILetterOrDigit || $0 == "-") }) {
                return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; only \(letters), digits and hyphens are allowed"
            }
            if lowercaseOnly, value.contains(where: \.isASCIIUppercaseLetter) {
                return "\"\(value.truncatedForMessage)\" contains upper-case letters; use lower case"
            }
            if value.hasSuffix("-") { return "\"\(value.truncatedForMessage)\" must not end with a hyphen" }
            if value.contains("--") { return "\"\(value.truncatedForMessage)\" must not contain two hyphens in a row" }
            return nil
        }
    }

    /// `prefix` followed by exactly 8 or 17 lower-case hex digits (EC2's short and long id forms).
    static func ec2StyleId(_ name: String, prefix: String, lengths: Set<Int> = [8, 17]) -> StringFormat {
        let lengthText = lengths.sorted().map(String.init).joined(separator: " or ")
        return .simple(name, hint: "\(prefix) followed by \(lengthText) lower-case hex digits, e.g. \(prefix)0123456789abcdef0") { value in
            guard value.hasPrefix(prefix) else { return false }
            let rest = value.dropFirst(prefix.count)
            return lengths.contains(rest.count) && rest.allSatisfy { $0.isASCIIDigit || ($0.isASCIILowercaseLetter && $0 <= "f") }
        }
    }

    /// Only characters from `allowed` (plus ASCII letters and digits).
    static func charset(_ name: String, extra allowed: String, hint: String) -> StringFormat {
        StringFormat(name: name, hint: hint) { value in
            guard let bad = value.first(where: { !($0.isASCIILetterOrDigit || allowed.contains($0)) }) else { return nil }
            return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; not allowed in a \(name)"
        }
    }
}

/// Pieces of ARNs, checked loosely enough to accept every partition (aws, aws-cn, aws-us-gov).
enum ARNParts {
    static func isPartition(_ text: Substring) -> Bool { text == "aws" || text.hasPrefix("aws-") }

    /// us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5.
    static func isRegion(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, !last.isEmpty, last.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIILowercaseLetter) }
    }

    static func isAccount(_ text: Substring) -> Bool { text.count == 12 && text.allSatisfy(\.isASCIIDigit) }

    /// Splits `arn:<partition>:<service>:<region>:<account>:<resource>` (the resource may hold colons).
    static func split(_ text: String) -> (partition: Substring, service: Substring, region: Substring, account: Substring, resource: Substring)? {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        return (parts[1], parts[2], parts[3], parts[4], parts[5])
    }
}
