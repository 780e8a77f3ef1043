/// The STS calls Lifeboat makes: who am I, and the two ways of assuming a role.
public struct STS: Sendable {
    public let client: AWSClient
    public init(_ client: AWSClient) { self.client = client }

    public struct CallerIdentity: Sendable, Hashable {
        public var account: String
        public var arn: String
        public var userID: String
    }

    public func getCallerIdentity() async throws -> CallerIdentity {
        let response = try await client.query(.sts, "GetCallerIdentity")
        let result = try response.queryResult()
        guard let account = result.string("Account"), let arn = result.string("Arn") else {
            throw response.malformed("GetCallerIdentity returned no Account or Arn")
        }
        return CallerIdentity(account: account, arn: arn, userID: result.string("UserId") ?? "")
    }

    public func assumeRole(roleARN: String, sessionName: String, externalID: String?, durationSeconds: Int = 3600) async throws -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("DurationSeconds", String(durationSeconds))]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        return try Self.credentials(from: try await client.query(.sts, "AssumeRole", parameters), source: "assume-role")
    }

    /// Unsigned: the web identity token is the proof (EKS IRSA).
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: String) async throws -> AWSCredentials {
        guard case .query(let version) = AWSService.sts.wireProtocol else { preconditionFailure("STS speaks the query protocol") }
        var operation = AWSOperation.query("AssumeRoleWithWebIdentity", version: version,
                                           [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token)])
        operation.isSigned = false
        return try Self.credentials(from: try await client.send(.sts, operation), source: "web-identity")
    }

    static func credentials(from response: AWSResponse, source: String) throws -> AWSCredentials {
        let result = try response.queryResult()
        guard let credentials = result["Credentials"], let key = credentials.string("AccessKeyId"),
              let secret = credentials.string("SecretAccessKey") else {
            throw response.malformed("\(response.operation) returned no Credentials")
        }
        let arn = result["AssumedRoleUser"]?.string("Arn")
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: credentials.string("SessionToken"),
                              expiration: credentials.string("Expiration").flatMap(AWSTimestamp.parseISO8601), source: source,
                              accountID: arn.flatMap(ARN.account))
    }
}

/// Just enough of ARNs: `arn:partition:service:region:account:resource`.
public enum ARN {
    public static func account(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }

    /// The partition of a region: `aws`, `aws-cn`, `aws-us-gov`.
    public static func partition(region: String) -> String {
        region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
    }
}
