import HTTP
import YAML

/// ECS task roles and EKS Pod Identity: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
/// 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the authorization token from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read each time: it rotates) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`. A plain-http full URI must point at a loopback or the
/// ECS/EKS link-local addresses, as the SDKs require.
public struct ContainerCredentialProvider: CredentialProvider {
    public let name = "container"
    let environment: AWSEnvironment
    let http: HTTPClient

    public init(environment: AWSEnvironment = .process, http: HTTPClient = HTTPClient()) {
        self.environment = environment
        self.http = http
    }

    static let allowedHTTPHosts: Set<String> = ["127.0.0.1", "localhost", "169.254.170.2", "169.254.170.23", "[::1]", "[fd00:ec2::23]"]

    func endpointURL() throws -> String {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            return "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] else {
            throw CredentialError.notConfigured(name, "AWS_CONTAINER_CREDENTIALS_FULL_URI and _RELATIVE_URI are not set")
        }
        guard let endpoint = AWSEndpoint(url: full, signingRegion: "") else {
            throw CredentialError(provider: name, message: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL")
        }
        let host = endpoint.authority.hasPrefix("[") ? String(endpoint.authority.prefix { $0 != "]" }) + "]"
                                                     : String(endpoint.authority.prefix { $0 != ":" })
        guard endpoint.scheme == "https" || Self.allowedHTTPHosts.contains(host) || host.hasPrefix("127.") else {
            throw CredentialError(provider: name, message: "AWS_CONTAINER_CREDENTIALS_FULL_URI uses http:// with host \(host); "
                                  + "only loopback and the ECS/EKS link-local addresses may use plain http")
        }
        return full
    }

    public func credentials() async throws -> AWSCredentials {
        let url = try endpointURL()
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
            guard let token = AWSEnvironment.readFile(file)?.trimmingCharacters(), !token.isEmpty else {
                throw CredentialError(provider: name, message: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file) is missing or empty")
            }
            headers["Authorization"] = token
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
            headers["Authorization"] = token
        }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(url: url, headers: headers,
                                                       timeouts: HTTPTimeouts(connect: .seconds(2), total: .seconds(5))))
        } catch let error as HTTPError {
            throw CredentialError(provider: name, message: "the credentials endpoint did not answer: \(error)")
        }
        guard response.isSuccess else {
            throw CredentialError(provider: name, message: "the credentials endpoint answered HTTP \(response.status)"
                                  + (response.status == 401 || response.status == 403 ? " (check the authorization token)" : ""))
        }
        return try Self.parse(response.body, provider: name)
    }

    /// The JSON document both the container endpoint and IMDS return.
    static func parse(_ body: [UInt8], provider: String) throws -> AWSCredentials {
        guard let document = try? JSONParser.parse(body), let key = document["AccessKeyId"]?.stringValue,
              let secret = document["SecretAccessKey"]?.stringValue else {
            throw CredentialError(provider: provider, message: "the credentials document has no AccessKeyId/SecretAccessKey")
        }
        if let code = document["Code"]?.stringValue, code != "Success" {
            throw CredentialError(provider: provider, message: "the credentials endpoint reported \(code)")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: document["Token"]?.stringValue,
                              expiration: document["Expiration"]?.stringValue.flatMap(AWSTimestamp.parseISO8601), source: provider,
                              accountID: document["AccountId"]?.stringValue)
    }
}
