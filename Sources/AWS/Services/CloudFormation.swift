/// The CloudFormation calls Lifeboat makes (query protocol).
public struct CloudFormation: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    /// Every export of the account and region, by name (cloudformation:ListExports, all pages).
    public func listExports() async throws -> [String: String] {
        let pairs: [(String, String)] = try await AWSPagination.collect(service: "cloudformation", operation: "ListExports") { token in
            let response = try await client.query(.cloudFormation, "ListExports", token.map { [("NextToken", $0)] } ?? [])
            let result = try response.queryResult()
            let items = (result["Exports"]?.members ?? []).compactMap { member -> (String, String)? in
                guard let name = member.string("Name") else { return nil }
                return (name, member.string("Value") ?? "")
            }
            return (items, result.string("NextToken"))
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }
}
