import HTTP

/// EC2 instance role credentials through IMDSv2: a session token from PUT /latest/api/token,
/// then the role name and its credentials. `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves the
/// endpoint (tests), `AWS_EC2_METADATA_DISABLED=true` switches it off. An endpoint that does not
/// answer quickly means "not on EC2", so the chain moves on.
public struct IMDSCredentialProvider: CredentialProvider {
    public let name = "imds"
    let environment: AWSEnvironment
    let http: HTTPClient

    public init(environment: AWSEnvironment = .process, http: HTTPClient = HTTPClient()) {
        self.environment = environment
        self.http = http
    }

    public func credentials() async throws -> AWSCredentials {
        guard environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" else {
            throw CredentialError.notConfigured(name, "AWS_EC2_METADATA_DISABLED is true")
        }
        var base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        let timeouts = HTTPTimeouts(connect: .seconds(1), total: .seconds(2))
        let tokenResponse: HTTPResponse
        do {
            tokenResponse = try await http.send(HTTPRequest(method: .put, url: base + "/latest/api/token",
                                                            headers: ["X-aws-ec2-metadata-token-ttl-seconds": "21600"], timeouts: timeouts))
        } catch let error as HTTPError {
            throw CredentialError.notConfigured(name, "the instance metadata service did not answer (\(error))")
        }
        guard tokenResponse.isSuccess else {
            throw CredentialError(provider: name, message: "IMDSv2 token request answered HTTP \(tokenResponse.status)")
        }
        let headers: HTTPHeaders = ["X-aws-ec2-metadata-token": tokenResponse.text]
        let path = base + "/latest/meta-data/iam/security-credentials/"
        let roles = try await get(path, headers, timeouts)
        guard let role = roles.text.split(separator: "\n").first.map(String.init), !role.isEmpty else {
            throw CredentialError(provider: name, message: "the instance has no IAM role (attach an instance profile)")
        }
        return try ContainerCredentialProvider.parse(try await get(path + role, headers, timeouts).body, provider: name)
    }

    private func get(_ url: String, _ headers: HTTPHeaders, _ timeouts: HTTPTimeouts) async throws -> HTTPResponse {
        do {
            let response = try await http.send(HTTPRequest(url: url, headers: headers, timeouts: timeouts))
            guard response.isSuccess else {
                throw CredentialError(provider: name, message: "instance metadata answered HTTP \(response.status)")
            }
            return response
        } catch let error as HTTPError {
            throw CredentialError(provider: name, message: "the instance metadata service failed: \(error)")
        }
    }
}
