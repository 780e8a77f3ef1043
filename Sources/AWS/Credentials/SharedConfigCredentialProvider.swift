import HTTP

/// Credentials of a named profile (`AWS_PROFILE`, default `default`) from the shared config and
/// credentials files: static keys, or `role_arn` with `source_profile` (followed to its own keys
/// or role, cycles refused) or `credential_source` (Environment, EcsContainer, Ec2InstanceMetadata),
/// with `external_id` and `role_session_name`; or `role_arn` + `web_identity_token_file`.
public struct SharedConfigCredentialProvider: CredentialProvider {
    public let name: String
    let profile: String
    let environment: AWSEnvironment
    let http: HTTPClient
    let retry: RetryConfiguration

    public init(profile: String? = nil, environment: AWSEnvironment = .process, http: HTTPClient = HTTPClient(),
                retry: RetryConfiguration = RetryConfiguration()) {
        self.profile = profile ?? environment.profile
        self.name = "profile \(self.profile)"
        self.environment = environment
        self.http = http
        self.retry = retry
    }

    func load() -> SharedConfigFile {
        SharedConfigFile(config: AWSEnvironment.readFile(environment.configFile),
                         credentials: AWSEnvironment.readFile(environment.credentialsFile))
    }

    public func credentials() async throws -> AWSCredentials {
        let files = load()
        guard files.profile(profile) != nil else {
            let message = "no profile \"\(profile)\" in \(environment.configFile) or \(environment.credentialsFile)"
            // A profile asked for by name must exist; the implicit default may simply be absent.
            if environment["AWS_PROFILE"] == nil { throw CredentialError.notConfigured(name, message) }
            throw CredentialError(provider: name, message: message)
        }
        return try await resolve(profile, files, visited: [])
    }

    private func resolve(_ profileName: String, _ files: SharedConfigFile, visited: [String]) async throws -> AWSCredentials {
        guard !visited.contains(profileName) else {
            throw CredentialError(provider: name, message: "source_profile cycle: \((visited + [profileName]).joined(separator: " -> "))")
        }
        guard let values = files.profile(profileName) else {
            throw CredentialError(provider: name, message: "source_profile \"\(profileName)\" does not exist")
        }
        let region = values["region"] ?? files.profile(profile)?["region"] ?? environment.region ?? "us-east-1"
        if let roleARN = values["role_arn"] {
            if let tokenFile = values["web_identity_token_file"] {
                return try await WebIdentityCredentialProvider(tokenFile: tokenFile, roleARN: roleARN, sessionName: values["role_session_name"],
                                                               environment: environment, http: http, retry: retry).credentials()
            }
            let base: any CredentialProvider
            if let source = values["source_profile"] {
                // A source profile with its own keys is used for them, not for its role (SDK rule).
                let sourceValues = files.profile(source)
                if source == profileName || sourceValues?["aws_access_key_id"] != nil {
                    base = StaticCredentialProvider(try staticKeys(source, sourceValues ?? [:]))
                } else {
                    base = StaticCredentialProvider(try await resolve(source, files, visited: visited + [profileName]))
                }
            } else if let source = values["credential_source"] {
                switch source {
                case "Environment": base = EnvironmentCredentialProvider(environment: environment)
                case "EcsContainer": base = ContainerCredentialProvider(environment: environment, http: http)
                case "Ec2InstanceMetadata": base = IMDSCredentialProvider(environment: environment, http: http)
                default:
                    throw CredentialError(provider: name, message: "credential_source \"\(source)\" is not Environment, EcsContainer or Ec2InstanceMetadata")
                }
            } else {
                throw CredentialError(provider: name, message: "profile \"\(profileName)\" has role_arn but neither source_profile nor credential_source")
            }
            let provider = AssumeRoleCredentialProvider(base: base, roleARN: roleARN,
                                                        sessionName: values["role_session_name"] ?? "lifeboat-\(profileName)",
                                                        externalID: values["external_id"], region: region,
                                                        endpoints: EndpointResolver(environment: environment), http: http, retry: retry)
            return try await provider.credentials()
        }
        return try staticKeys(profileName, values)
    }

    private func staticKeys(_ profileName: String, _ values: [String: String]) throws -> AWSCredentials {
        guard let key = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else {
            throw CredentialError(provider: name, message: "profile \"\(profileName)\" has no aws_access_key_id/aws_secret_access_key (nor role_arn)")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: values["aws_session_token"], source: name)
    }
}
