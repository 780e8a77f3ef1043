/// Formats for DNS and event modules (R53Record, EventBridge, EventArchive).
extension StringFormat {
    /// `Z0123456789ABCDEFGHIJ`, also as `/hostedzone/Z…` (how the Route 53 API returns it). The
    /// API's model promises only up to 32 characters; ids in the wild are upper-case letters and
    /// digits (almost always starting with Z, which is not required here: refusing a real id
    /// would block a failover).
    static let hostedZoneId = StringFormat.simple("hosted zone id", hint: "upper-case letters and digits as Route 53 shows it, e.g. Z0123456789ABCDEFGHIJ") { value in
        let id = value.hasPrefix("/hostedzone/") ? value.dropFirst("/hostedzone/".count) : Substring(value)
        return (2...32).contains(id.count) && id.allSatisfy { $0.isASCIIDigit || $0.isASCIIUppercaseLetter }
    }

    /// A record name: labels of letters, digits, '-' and '_', a leading `*` label for wildcards,
    /// optionally ending in '.'.
    static let dnsName = StringFormat(name: "DNS name", hint: "e.g. api.example.com (a trailing '.' is fine); '*' only as the whole first label") { value in
        let name = value.hasSuffix(".") ? String(value.dropLast()) : value
        guard !name.isEmpty, name.count <= 253 else { return "\"\(value.truncatedForMessage)\" must be 1–253 characters (without the trailing dot)" }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if label.isEmpty { return "\"\(value.truncatedForMessage)\" has an empty label (two dots in a row)" }
            if label.count > 63 { return "label \"\(label.prefix(80))\" is longer than 63 characters" }
            if label == "*" {
                if index != 0 { return "'*' is only allowed as the first label" }
                continue
            }
            if let bad = label.first(where: { !($0.isASCIILetterOrDigit || $0 == "-" || $0 == "_") }) {
                return "\"\(value.truncatedForMessage)\" contains \"\(bad)\""
            }
        }
        return nil
    }

    /// The *name* of an Application or Network Load Balancer (alias records look it up with
    /// elbv2:DescribeLoadBalancers), not its DNS name or ARN.
    static let loadBalancerName = StringFormat(name: "load balancer name", hint: "the load balancer's name as in elbv2 (1–32 letters, digits and hyphens), not its DNS name or ARN") { value in
        if value.hasPrefix("arn:") { return "expected the load balancer's name, got an ARN" }
        if value.contains(".") { return "\"\(value.truncatedForMessage)\" looks like a DNS name; give the load balancer's name" }
        guard (1...32).contains(value.count), value.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "-" }) else {
            return "\"\(value.truncatedForMessage)\" is not a load balancer name (1–32 letters, digits and hyphens)"
        }
        if value.hasPrefix("-") || value.hasSuffix("-") { return "\"\(value)\" must not start or end with a hyphen" }
        if value.hasPrefix("internal-") { return "\"\(value)\" starts with \"internal-\", which load balancer names cannot" }
        return nil
    }

    /// EventBridge rule names, archive names and replay names share this alphabet.
    static let eventName = StringFormat.charset("EventBridge name", extra: ".-_", hint: "letters, digits and . - _")

    /// A bus name (`default`, `orders`, `aws.partner/…`) or a bus ARN.
    static let eventBusName = StringFormat(name: "event bus name", hint: "the bus name (e.g. default) or its ARN") { value in
        if value.hasPrefix("arn:") {
            guard let arn = ARNParts.split(value), arn.service == "events", arn.resource.hasPrefix("event-bus/") else {
                return "\"\(value.truncatedForMessage)\" is not an event bus ARN"
            }
            return nil
        }
        guard let bad = value.first(where: { !($0.isASCIILetterOrDigit || "/._-".contains($0)) }) else { return nil }
        return "\"\(value.truncatedForMessage)\" contains \"\(bad)\"; not allowed in an event bus name"
    }

    /// `arn:aws:events:us-west-2:111111111111:archive/orders`.
    static let eventArchiveArn = StringFormat(name: "event archive ARN", hint: "arn:aws:events:<region>:<12-digit account>:archive/<name>") { value in
        guard let arn = ARNParts.split(value), ARNParts.isPartition(arn.partition), arn.service == "events" else {
            return "\"\(value.truncatedForMessage)\" is not an EventBridge ARN"
        }
        guard ARNParts.isRegion(arn.region) else { return "\"\(arn.region.prefix(80))\" is not a region" }
        guard ARNParts.isAccount(arn.account) else { return "\"\(arn.account.prefix(80))\" is not a 12-digit account id" }
        guard arn.resource.hasPrefix("archive/") else { return "the resource part must be archive/<name>" }
        let name = arn.resource.dropFirst("archive/".count)
        guard (1...48).contains(name.count), name.allSatisfy({ $0.isASCIILetterOrDigit || ".-_".contains($0) }) else {
            return "archive name \"\(name.prefix(80))\" must be 1–48 letters, digits and . - _"
        }
        return nil
    }
}
