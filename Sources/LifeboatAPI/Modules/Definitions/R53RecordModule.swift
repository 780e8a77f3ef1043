import YAML

/// Route 53 records upserted to point traffic at the standby (MODULES.md). The enterprise code
/// read the key `Aias` (a typo for its documented `Alias`); only `Alias` is accepted here, and the
/// typo is named as such.
enum R53RecordModule {
    static let descriptor = ModuleDescriptor(
        name: .r53Record,
        summary: "Upsert Route 53 records (one change batch per hosted zone) to move traffic to the acting region",
        supportedPhases: [.activate],
        defaultTimeout: .minutes(15),
        drillDefault: .validate,
        parameters: ObjectSchema([
            .required(R53RecordParameters.Key.items.rawValue, .list(.object(item), ListRule(unique: sameRecord)), notes: "the records to upsert"),
        ]))

    static let recordTypes = ["A", "AAAA", "CNAME", "TXT"]

    static let item = ObjectSchema(
        [
            .required(R53RecordParameters.Record.Key.hostedZoneId.rawValue, .string(.format(.hostedZoneId)), notes: "Z…, optionally written /hostedzone/Z…"),
            .required(R53RecordParameters.Record.Key.r53RecordName.rawValue, .string(.format(.dnsName)), notes: "record name; a trailing '.' is optional"),
            .required(R53RecordParameters.Record.Key.recordType.rawValue, .string(.oneOf(recordTypes)), notes: "A and AAAA may be aliases"),
            .required(R53RecordParameters.Record.Key.recordValue.rawValue, .stringOrList(StringRule(maxLength: 4000)),
                      notes: "values (CNAME: exactly one); for an alias, the load balancer's name"),
            .optional(R53RecordParameters.Record.Key.alias.rawValue, .boolean(acceptsYesNo: true), default: false,
                      notes: "alias to an Application/Network Load Balancer, looked up by name; also \"Yes\"/\"No\""),
            .optional(R53RecordParameters.Record.Key.ttl.rawValue, .integer(.range(0...2_147_483_647)), default: 300, notes: "seconds; not allowed on alias records"),
            .optional(R53RecordParameters.Record.Key.setIdentifier.rawValue, .string(StringRule(maxLength: 128)), notes: "for weighted records; needs Weight"),
            .optional(R53RecordParameters.Record.Key.weight.rawValue, .integer(.range(0...255)), notes: "weighted routing; needs SetIdentifier"),
        ],
        rules: [
            .requires("Weight", "SetIdentifier"),
            .requires("SetIdentifier", "Weight"),
            .custom(recordProblems),
        ],
        formerNames: ["Aias": R53RecordParameters.Record.Key.alias.rawValue])

    /// Route 53 keys a record set on zone, name, type and set identifier; two items with the same
    /// key would overwrite each other in one change batch (which Route 53 rejects outright).
    private static let sameRecord = UniqueRule(what: "the same HostedZoneId, R53RecordName, RecordType and SetIdentifier") { value in
        guard let object = value.objectValue,
              let zone = object["HostedZoneId"]?.literalString,
              let name = object["R53RecordName"]?.literalString,
              let type = object["RecordType"]?.literalString
        else { return nil }
        let set: String
        switch object["SetIdentifier"] {
        case nil, .null?: set = ""
        case let value?:
            guard let literal = value.literalString else { return nil }
            set = literal
        }
        let zoneId = zone.hasPrefix("/hostedzone/") ? String(zone.dropFirst("/hostedzone/".count)) : zone
        let recordName = (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
        return [zoneId, recordName, type, set].joined(separator: "\u{1F}")
    }

    /// Value rules that depend on the record type and on Alias.
    private static func recordProblems(_ record: ObjectCheckContext) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        let type = record.string("RecordType").flatMap { recordTypes.contains($0) ? $0 : nil }
        let values = record.strings("RecordValue")
        let valuePaths: [FieldPath] = record.object["RecordValue"]?.arrayValue == nil
            ? [record.path("RecordValue")]
            : (values ?? []).indices.map { record.path("RecordValue").index($0) }

        if record.bool("Alias") == true {
            if let type, type != "A", type != "AAAA" {
                problems.append(ValidationProblem(record.path("RecordType"), "an alias record must be of type A or AAAA, not \(type)",
                                                  hint: "set RecordType: A, or Alias: false"))
            }
            if let values, values.count != 1 {
                problems.append(ValidationProblem(record.path("RecordValue"), "an alias record takes exactly one value, got \(values.count)",
                                                  hint: "give the name of one load balancer"))
            } else if let values, let message = StringFormat.loadBalancerName.problem(with: values[0]) {
                problems.append(ValidationProblem(valuePaths[0], message, hint: StringFormat.loadBalancerName.hint))
            }
            if record.has("TTL") {
                problems.append(ValidationProblem(record.path("TTL"), "alias records take no TTL (Route 53 uses the target's)",
                                                  hint: "remove TTL, or set Alias: false"))
            }
            return problems
        }

        // An Alias given as a reference may turn out true at run time; the value rules would then be wrong.
        guard let type, let values, !record.has("Alias") || record.bool("Alias") != nil else { return problems }
        if type == "CNAME" && values.count != 1 {
            problems.append(ValidationProblem(record.path("RecordValue"), "a CNAME record takes exactly one value, got \(values.count)",
                                              hint: "give one DNS name"))
            return problems
        }
        for (value, path) in zip(values, valuePaths) {
            switch type {
            case "A" where IPv4Address(value) == nil:
                problems.append(ValidationProblem(path, "\"\(value.truncatedForMessage)\" is not an IPv4 address",
                                                  hint: "an A record holds IPv4 addresses; to point at a load balancer set Alias: true"))
            case "AAAA" where !IPv4Address.isIPv6(value):
                problems.append(ValidationProblem(path, "\"\(value.truncatedForMessage)\" is not an IPv6 address",
                                                  hint: "an AAAA record holds IPv6 addresses; to point at a load balancer set Alias: true"))
            case "CNAME":
                if let message = StringFormat.dnsName.problem(with: value) {
                    problems.append(ValidationProblem(path, message, hint: "a CNAME record holds one DNS name, e.g. api.us-west-2.example.com"))
                }
            default:
                break
            }
        }
        return problems
    }
}

/// R53Record's parameters as the module reads them; the keys are spelled once, here.
public struct R53RecordParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey { case items = "Items" }
    public var items: [Record]

    public struct Record: Decodable, Sendable, Hashable {
        public enum Key: String, CodingKey {
            case hostedZoneId = "HostedZoneId"
            case r53RecordName = "R53RecordName"
            case recordType = "RecordType"
            case recordValue = "RecordValue"
            case alias = "Alias"
            case ttl = "TTL"
            case setIdentifier = "SetIdentifier"
            case weight = "Weight"
        }
        public var hostedZoneId: String
        public var r53RecordName: String
        public var recordType: String
        public var recordValues: [String]
        public var alias: Bool
        public var ttl: Int
        public var setIdentifier: String?
        public var weight: Int?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            hostedZoneId = try c.decode(String.self, forKey: .hostedZoneId)
            r53RecordName = try c.decode(String.self, forKey: .r53RecordName)
            recordType = try c.decode(String.self, forKey: .recordType)
            recordValues = try c.decode(StringOrList.self, forKey: .recordValue).values
            alias = try c.decode(Bool.self, forKey: .alias)
            ttl = try c.decode(Int.self, forKey: .ttl)
            setIdentifier = try c.decodeIfPresent(String.self, forKey: .setIdentifier)
            weight = try c.decodeIfPresent(Int.self, forKey: .weight)
        }
    }

    public init(from decoder: any Decoder) throws {
        items = try decoder.container(keyedBy: Key.self).decode([Record].self, forKey: .items)
    }
}
