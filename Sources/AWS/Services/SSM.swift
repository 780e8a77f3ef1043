import YAML

/// The SSM calls Lifeboat makes (JSON 1.1 protocol).
public struct SSM: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct Parameter: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var type: String
        public var version: Int
        /// May be a decrypted SecureString: never log it (the description leaves it out).
        public var value: String
        public var description: String { "SSM parameter \(name) (\(type), version \(version))" }
    }

    /// ssm:GetParameter with decryption; `version` selects `name:version`.
    public func getParameter(_ name: String, version: Int? = nil) async throws -> Parameter {
        let selector = version.map { "\(name):\($0)" } ?? name
        let output = try await client.json(.ssm, "GetParameter", ["Name": .string(selector), "WithDecryption": true])
        guard let parameter = output["Parameter"], let value = parameter["Value"]?.stringValue else {
            throw AWSError(kind: .malformedResponse, service: "ssm", operation: "GetParameter", code: "MalformedResponse",
                           message: "GetParameter returned no Parameter.Value")
        }
        return Parameter(name: parameter["Name"]?.stringValue ?? name, type: parameter["Type"]?.stringValue ?? "String",
                         version: parameter["Version"]?.intValue ?? 0, value: value)
    }
}
