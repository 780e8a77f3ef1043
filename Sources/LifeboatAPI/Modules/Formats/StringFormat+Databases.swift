/// Formats for the database and cache modules (AuroraMySQL, SQLServer, ElastiCache, MemoryDB).
extension StringFormat {
    static let rdsIdentifier = hyphenatedIdentifier("RDS identifier", maxLength: 63)

    /// `db.r6g.large`, `db.serverless`.
    static let dbInstanceClass = StringFormat.simple("DB instance class", hint: "e.g. db.r6g.large or db.serverless") { value in
        value.hasPrefix("db.") && value.count > 3 && value.dropFirst(3).allSatisfy { $0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "." || $0 == "-" }
            && !value.hasSuffix(".")
    }

    static let replicationGroupId = hyphenatedIdentifier("replication group id", maxLength: 40)

    /// AWS prefixes global datastores with a region code (`ldgnf-orders`); the same character rules apply.
    static let globalReplicationGroupId = hyphenatedIdentifier("global replication group id", maxLength: 255)

    /// `cache.r6g.large`.
    static let cacheNodeType = StringFormat.simple("cache node type", hint: "e.g. cache.r6g.large") { value in
        value.hasPrefix("cache.") && value.count > 6 && value.dropFirst(6).allSatisfy { $0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "." }
            && !value.hasSuffix(".")
    }

    static let cacheSubnetGroupName = StringFormat.charset(
        "cache subnet group name", extra: "-", hint: "the name of a cache subnet group in the acting region: letters, digits and hyphens")

    static let memoryDBClusterName = hyphenatedIdentifier("MemoryDB cluster name", maxLength: 40, lowercaseOnly: true)

    /// A parameter name as ssm:PutParameter takes it: `/dr/orders/config` or `orders-config`.
    static let ssmParameterName = StringFormat(
        name: "SSM parameter name", hint: "start with '/' or a letter; letters, digits and _ . - /, e.g. /dr/cache/config"
    ) { value in
        guard let first = value.first, first == "/" || first.isASCIILetter else { return "\"\(value.truncatedForMessage)\" must start with '/' or a letter" }
        if let bad = value.first(where: { !($0.isASCIILetterOrDigit || "_.-/".contains($0)) }) {
            return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; not allowed in an SSM parameter name"
        }
        if value.contains("/") && first != "/" { return "\"\(value.truncatedForMessage)\" has a path, so it must start with '/'" }
        if value.contains("//") || value.hasSuffix("/") { return "\"\(value.truncatedForMessage)\" has an empty path segment" }
        return nil
    }

    /// S3 bucket naming rules (general purpose buckets).
    static let s3BucketName = StringFormat(
        name: "S3 bucket name", hint: "3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit"
    ) { value in
        guard (3...63).contains(value.count) else { return "\"\(value.truncatedForMessage)\" must be 3–63 characters long" }
        if let bad = value.first(where: { !($0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "." || $0 == "-") }) {
            return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; bucket names use lower-case letters, digits, dots and hyphens"
        }
        guard let first = value.first, let last = value.last, first.isASCIILetterOrDigit, last.isASCIILetterOrDigit else {
            return "\"\(value)\" must start and end with a letter or digit"
        }
        if value.contains("..") { return "\"\(value)\" must not contain two dots in a row" }
        if IPv4Address(value) != nil { return "\"\(value)\" looks like an IP address, which is not a bucket name" }
        return nil
    }

    /// A MemoryDB snapshot source: the S3 ARN of an .rdb file (`arn:aws:s3:::bucket/backup.rdb`).
    static let s3ObjectArn = StringFormat.simple("S3 object ARN", hint: "arn:aws:s3:::<bucket>/<key>, e.g. arn:aws:s3:::dr-backups/orders/backup.rdb") { value in
        guard let arn = ARNParts.split(value), ARNParts.isPartition(arn.partition), arn.service == "s3",
              arn.region.isEmpty, arn.account.isEmpty, let slash = arn.resource.firstIndex(of: "/")
        else { return false }
        return !arn.resource[..<slash].isEmpty && arn.resource[slash...].count > 1
    }
}
