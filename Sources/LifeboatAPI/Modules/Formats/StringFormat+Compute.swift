/// Formats for compute modules (DRS, EC2, EcsService, AutoScaling, LambdaFunction, OpenSearch).
extension StringFormat {
    static let ec2InstanceId = ec2StyleId("EC2 instance id", prefix: "i-")
    static let drsSourceServerId = ec2StyleId("DRS source server id", prefix: "s-", lengths: [17])
    static let subnetId = ec2StyleId("subnet id", prefix: "subnet-")
    static let securityGroupId = ec2StyleId("security group id", prefix: "sg-")

    /// `m5.large`, `m7i-flex.2xlarge`, `u-6tb1.metal`.
    static let ec2InstanceType = StringFormat.simple("EC2 instance type", hint: "family.size, e.g. m5.large") { value in
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = parts[0].first, first.isASCIILowercaseLetter, !parts[1].isEmpty else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "-" } }
    }

    /// Only RFC 1918 addresses: DRS assigns it inside the recovery subnet's VPC.
    static let privateIPv4 = StringFormat(name: "private IPv4 address", hint: "an address in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 inside the target subnet") { value in
        guard let address = IPv4Address(value) else { return "\"\(value.truncatedForMessage)\" is not an IPv4 address" }
        return address.isPrivate ? nil : "\(value) is not a private (RFC 1918) address"
    }

    static let instanceProfileName = StringFormat(name: "instance profile name", hint: "the profile's name (not its ARN): letters, digits and + = , . @ _ -") { value in
        if value.hasPrefix("arn:") { return "expected the instance profile's name, got an ARN" }
        guard let bad = value.first(where: { !($0.isASCIILetterOrDigit || "+=,.@_-".contains($0)) }) else { return nil }
        return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; not allowed in an instance profile name"
    }

    /// ECS cluster and service names (or their ARNs, which the ECS API also takes).
    static func ecsName(_ what: String) -> StringFormat {
        StringFormat(name: "ECS \(what) name", hint: "letters, digits, hyphens and underscores, or the \(what)'s ARN") { value in
            if value.hasPrefix("arn:") {
                guard let arn = ARNParts.split(value), arn.service == "ecs", ARNParts.isRegion(arn.region), ARNParts.isAccount(arn.account) else {
                    return "\"\(value.truncatedForMessage)\" is not an ECS ARN"
                }
                return nil
            }
            guard let bad = value.first(where: { !($0.isASCIILetterOrDigit || $0 == "-" || $0 == "_") }) else { return nil }
            return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; not allowed in an ECS \(what) name"
        }
    }

    static let autoScalingGroupName = StringFormat(name: "Auto Scaling group name", hint: "the group's name (not its ARN); it cannot contain ':'") { value in
        if value.hasPrefix("arn:") { return "expected the Auto Scaling group's name, got an ARN" }
        if value.utf8.contains(UInt8(ascii: ":")) { return "\"\(value.truncatedForMessage)\" contains ':', which Auto Scaling group names cannot" }
        if value.containsWhitespace(besidesSpace: true) { return "\"\(value.truncatedForMessage)\" contains a tab or line break" }
        return nil
    }

    /// `orders`, `orders:live`, `orders:7`, `123456789012:function:orders`, or a function ARN.
    static let lambdaFunctionName = StringFormat(
        name: "Lambda function name", hint: "name, name:qualifier, or arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]"
    ) { value in
        var parts = value.split(separator: ":", omittingEmptySubsequences: false)[...]
        if parts.first == "arn" {
            guard parts.count >= 7, ARNParts.isPartition(parts[1]), parts[2] == "lambda", ARNParts.isRegion(parts[3]),
                  ARNParts.isAccount(parts[4]), parts[5] == "function" else { return "\"\(value.truncatedForMessage)\" is not a Lambda function ARN" }
            parts = parts.dropFirst(6)
        } else if parts.count >= 3, parts[1] == "function" {
            guard ARNParts.isAccount(parts[0]) else { return "\"\(value.truncatedForMessage)\" is not a partial function ARN (<account>:function:<name>)" }
            parts = parts.dropFirst(2)
        }
        guard let name = parts.first, parts.count <= 2 else { return "\"\(value.truncatedForMessage)\" has too many ':'" }
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "-" || $0 == "_" }) else {
            return "function name \"\(name.prefix(80))\" must be 1–64 letters, digits, hyphens and underscores"
        }
        if parts.count == 2 {
            let qualifier = parts[parts.index(after: parts.startIndex)]
            guard qualifier == "$LATEST" || ((1...128).contains(qualifier.count) && qualifier.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "-" || $0 == "_" })) else {
                return "qualifier \"\(qualifier.prefix(80))\" must be $LATEST, a version number or an alias name"
            }
        }
        return nil
    }

    static let openSearchDomainName = StringFormat(name: "OpenSearch domain name", hint: "3–28 lower-case letters, digits and hyphens, starting with a letter") { value in
        guard let first = value.first, first.isASCIILowercaseLetter else { return "\"\(value.truncatedForMessage)\" must start with a lower-case letter" }
        guard let bad = value.first(where: { !($0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "-") }) else { return nil }
        return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; only lower-case letters, digits and hyphens are allowed"
    }

    /// `r6g.large.search`.
    static let openSearchInstanceType = StringFormat.simple("OpenSearch instance type", hint: "family.size.search, e.g. r6g.large.search") { value in
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "search", let first = parts[0].first, first.isASCIILowercaseLetter, !parts[1].isEmpty else { return false }
        return parts.prefix(2).allSatisfy { $0.allSatisfy { $0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "-" } }
    }
}
