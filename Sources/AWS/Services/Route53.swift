/// The Route 53 calls the R53Record module makes (rest-xml, global endpoint).
public struct Route53: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

    public struct AliasTarget: Sendable, Hashable {
        public var hostedZoneID: String
        public var dnsName: String
        public var evaluateTargetHealth: Bool

        public init(hostedZoneID: String, dnsName: String, evaluateTargetHealth: Bool) {
            self.hostedZoneID = hostedZoneID
            self.dnsName = dnsName
            self.evaluateTargetHealth = evaluateTargetHealth
        }
    }

    public struct RecordSet: Sendable, Hashable {
        /// Fully qualified, with the trailing dot, as Route 53 returns it.
        public var name: String
        public var type: String
        public var setIdentifier: String?
        public var weight: Int?
        public var ttl: Int?
        public var values: [String]
        public var alias: AliasTarget?

        public init(name: String, type: String, setIdentifier: String? = nil, weight: Int? = nil, ttl: Int? = nil, values: [String] = [],
                    alias: AliasTarget? = nil) {
            self.name = name
            self.type = type
            self.setIdentifier = setIdentifier
            self.weight = weight
            self.ttl = ttl
            self.values = values
            self.alias = alias
        }

        /// Whether the record already says what `desired` says (names compared as DNS does:
        /// case-insensitively and with the trailing dot optional).
        public func matches(_ desired: RecordSet) -> Bool {
            guard Route53.sameName(name, desired.name), type == desired.type, setIdentifier == desired.setIdentifier,
                  weight == desired.weight else { return false }
            if let want = desired.alias {
                guard let have = alias else { return false }
                return Route53.sameName(have.dnsName, want.dnsName) && have.hostedZoneID == want.hostedZoneID
                    && have.evaluateTargetHealth == want.evaluateTargetHealth
            }
            return alias == nil && ttl == desired.ttl && Set(values) == Set(desired.values)
        }
    }

    /// The record sets with exactly this name and type (and set identifier, when given).
    public func recordSets(zone: String, name: String, type: String) async throws -> [RecordSet] {
        let path = AWSOperation.path("/2013-04-01/hostedzone/", .label(Self.bareZoneID(zone)), "/rrset")
        let response = try await client.send(.route53, .restXML("ListResourceRecordSets", .get, path,
                                                                query: [("name", name), ("type", type), ("maxitems", "100")]))
        let sets = (try response.xml()["ResourceRecordSets"]?.children ?? []).map { item in
            RecordSet(name: item.string("Name") ?? "", type: item.string("Type") ?? "", setIdentifier: item.string("SetIdentifier"),
                      weight: item.string("Weight").flatMap { Int($0) }, ttl: item.string("TTL").flatMap { Int($0) },
                      values: (item["ResourceRecords"]?.children ?? []).compactMap { $0.string("Value") },
                      alias: item["AliasTarget"].map {
                          AliasTarget(hostedZoneID: $0.string("HostedZoneId") ?? "", dnsName: $0.string("DNSName") ?? "",
                                      evaluateTargetHealth: $0.string("EvaluateTargetHealth") == "true")
                      })
        }
        return sets.filter { Self.sameName($0.name, name) && $0.type == type }
    }

    /// One UPSERT batch; returns the change id (`C…`).
    public func upsert(zone: String, _ records: [RecordSet], comment: String) async throws -> String {
        var body = XMLWriter()
        body.element("ChangeResourceRecordSetsRequest", namespace: Self.namespace) { request in
            request.element("ChangeBatch") { batch in
                batch.element("Comment", comment)
                batch.element("Changes") { changes in
                    for record in records {
                        changes.element("Change") { change in
                            change.element("Action", "UPSERT")
                            change.element("ResourceRecordSet") { set in Self.write(record, into: &set) }
                        }
                    }
                }
            }
        }
        let path = AWSOperation.path("/2013-04-01/hostedzone/", .label(Self.bareZoneID(zone)), "/rrset/")
        let response = try await client.send(.route53, .restXML("ChangeResourceRecordSets", .post, path, body: body))
        guard let id = try response.xml()["ChangeInfo"]?.string("Id") else { throw response.malformed("ChangeResourceRecordSets returned no ChangeInfo.Id") }
        return Self.bareChangeID(id)
    }

    /// PENDING or INSYNC.
    public func changeStatus(_ changeID: String) async throws -> String {
        let path = AWSOperation.path("/2013-04-01/change/", .label(Self.bareChangeID(changeID)))
        let response = try await client.send(.route53, .restXML("GetChange", .get, path))
        guard let status = try response.xml()["ChangeInfo"]?.string("Status") else { throw response.malformed("GetChange returned no ChangeInfo.Status") }
        return status
    }

    private static func write(_ record: RecordSet, into set: inout XMLWriter) {
        set.element("Name", record.name)
        set.element("Type", record.type)
        if let identifier = record.setIdentifier { set.element("SetIdentifier", identifier) }
        if let weight = record.weight { set.element("Weight", String(weight)) }
        if let alias = record.alias {
            set.element("AliasTarget") { target in
                target.element("HostedZoneId", alias.hostedZoneID)
                target.element("DNSName", alias.dnsName)
                target.element("EvaluateTargetHealth", alias.evaluateTargetHealth ? "true" : "false")
            }
        } else {
            if let ttl = record.ttl { set.element("TTL", String(ttl)) }
            set.element("ResourceRecords") { values in
                for value in record.values { values.element("ResourceRecord") { $0.element("Value", value) } }
            }
        }
    }

    /// `Z123` from `Z123` or `/hostedzone/Z123`.
    public static func bareZoneID(_ zone: String) -> String {
        zone.hasPrefix("/hostedzone/") ? String(zone.dropFirst("/hostedzone/".count)) : zone
    }

    static func bareChangeID(_ id: String) -> String { id.hasPrefix("/change/") ? String(id.dropFirst("/change/".count)) : id }

    static func sameName(_ a: String, _ b: String) -> Bool {
        func normal(_ name: String) -> String { (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased() }
        return normal(a) == normal(b)
    }
}
