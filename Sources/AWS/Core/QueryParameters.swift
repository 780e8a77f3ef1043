import YAML

/// Parameters of a query- or ec2-protocol call, with lists and structures flattened the way
/// botocore serialises them (`Names.member.1` in query, `InstanceId.1` in ec2). Absent
/// optionals are simply not sent.
public struct QueryParameters: Sendable, ExpressibleByArrayLiteral {
    public private(set) var pairs: [(String, String)] = []

    public init() {}
    public init(arrayLiteral elements: (String, String)...) { pairs = elements }

    public mutating func add(_ name: String, _ value: String?) {
        if let value { pairs.append((name, value)) }
    }

    public mutating func add(_ name: String, _ value: Int?) { add(name, value.map(String.init)) }

    public mutating func add(_ name: String, _ value: Bool?) { add(name, value.map { $0 ? "true" : "false" }) }

    /// A query-protocol list: `name.<member>.1`, `name.<member>.2`, … (`member` unless the model
    /// gives the list a location name, as RDS does with `Filter` and `Value`).
    public mutating func list(_ name: String, _ values: [String], member: String = "member") {
        for (index, value) in values.enumerated() { pairs.append(("\(name).\(member).\(index + 1)", value)) }
    }

    /// An ec2-protocol list: `name.1`, `name.2`, …
    public mutating func ec2List(_ name: String, _ values: [String]) {
        for (index, value) in values.enumerated() { pairs.append(("\(name).\(index + 1)", value)) }
    }

    /// ec2-protocol filters: `Filter.N.Name` and `Filter.N.Value.M`.
    public mutating func ec2Filters(_ filters: [(name: String, values: [String])]) {
        for (index, filter) in filters.enumerated() {
            pairs.append(("Filter.\(index + 1).Name", filter.name))
            for (valueIndex, value) in filter.values.enumerated() { pairs.append(("Filter.\(index + 1).Value.\(valueIndex + 1)", value)) }
        }
    }
}

extension AWSClient {
    /// A query or ec2 call with flattened parameters.
    public func query(_ service: AWSService, _ action: String, _ parameters: QueryParameters) async throws -> AWSResponse {
        try await query(service, action, parameters.pairs)
    }

    /// A rest-json call whose every operation is `POST /<Operation>` with a JSON body (DRS).
    public func restJSONPost(_ service: AWSService, _ operation: String, _ body: JSONValue) async throws -> JSONValue {
        try await send(service, .restJSON(operation, .post, "/" + operation, body: body)).json()
    }
}
