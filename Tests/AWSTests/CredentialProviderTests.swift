import Foundation
import Testing
@testable import AWS
import HTTP

/// Each source of the chain against a local endpoint: moto for STS, testenv fixtures for the
/// container and IMDS endpoints.
@Suite struct CredentialProviderTests {
    static let endpointsResult = Result { try TestServer("testenv.aws.credential_endpoints", ["--token", "pod-identity-token"]) }
    let http = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none))

    func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func environment() async throws {
        let env = AWSEnvironment(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "tok",
                                  "AWS_CREDENTIAL_EXPIRATION": "2030-01-01T00:00:00Z"])
        let credentials = try await EnvironmentCredentialProvider(environment: env).credentials()
        #expect(credentials.accessKeyID == "AKIAENV" && credentials.sessionToken == "tok")
        #expect(credentials.expiration == AWSTimestamp.parseISO8601("2030-01-01T00:00:00Z"))
        let notSet = try await #require(throws: CredentialError.self) { try await EnvironmentCredentialProvider(environment: AWSEnvironment([:])).credentials() }
        #expect(notSet.notConfigured)
        let half = try await #require(throws: CredentialError.self) {
            try await EnvironmentCredentialProvider(environment: AWSEnvironment(["AWS_ACCESS_KEY_ID": "AKIA"])).credentials()
        }
        #expect(!half.notConfigured && half.message.contains("AWS_SECRET_ACCESS_KEY"))
    }

    @Test func webIdentityReadsTheTokenFileOnEveryRefresh() async throws {
        let moto = try Moto.shared(), directory = try scratch()
        let tokenFile = directory.appendingPathComponent("token")
        try "eyJ.first.token".write(to: tokenFile, atomically: true, encoding: .utf8)
        let env = Moto.environment(moto, ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path,
                                          "AWS_ROLE_ARN": "arn:aws:iam::333333333333:role/lifeboat-irsa", "AWS_REGION": "us-west-2"])
        let provider = WebIdentityCredentialProvider(environment: env, http: http, retry: Moto.instantRetry)
        let credentials = try await provider.credentials()
        #expect(credentials.source == "web-identity" && credentials.sessionToken != nil && credentials.expiration != nil)
        #expect(credentials.accountID == "333333333333")
        try FileManager.default.removeItem(at: tokenFile)
        let error = try await #require(throws: CredentialError.self) { try await provider.credentials() }
        #expect(error.message.contains(tokenFile.path), "a rotated-away token is noticed, not cached")
        try "eyJ.second.token".write(to: tokenFile, atomically: true, encoding: .utf8)
        #expect(try await provider.credentials().accessKeyID != "")
        let missingRole = WebIdentityCredentialProvider(environment: AWSEnvironment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path]), http: http)
        await #expect(throws: CredentialError.self) { try await missingRole.credentials() }
    }

    @Test func containerCredentialsWithTokenFileAndToken() async throws {
        let server = try Self.endpointsResult.get(), directory = try scratch()
        let tokenFile = directory.appendingPathComponent("eks-pod-identity-token")
        try "pod-identity-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let url = server.baseURL + "/container/creds"
        let fromFile = ContainerCredentialProvider(environment: AWSEnvironment([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path]), http: http)
        let first = try await fromFile.credentials()
        #expect(first.accessKeyID.hasPrefix("ASIACONTAINER") && first.accountID == "123456789012" && first.expiration != nil)
        let fromVariable = ContainerCredentialProvider(environment: AWSEnvironment([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "pod-identity-token"]), http: http)
        #expect(try await fromVariable.credentials().accessKeyID != first.accessKeyID)

        let wrongToken = ContainerCredentialProvider(environment: AWSEnvironment([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"]), http: http)
        let error = try await #require(throws: CredentialError.self) { try await wrongToken.credentials() }
        #expect(error.message.contains("401") && !error.message.contains("wrong"))

        let remote = ContainerCredentialProvider(environment: AWSEnvironment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://198.51.100.7/creds"]), http: http)
        let refused = try await #require(throws: CredentialError.self) { try await remote.credentials() }
        #expect(refused.message.contains("plain http"))
        let unset = try await #require(throws: CredentialError.self) { try await ContainerCredentialProvider(environment: AWSEnvironment([:]), http: http).credentials() }
        #expect(unset.notConfigured)
    }

    @Test func imdsV2() async throws {
        let server = try Self.endpointsResult.get()
        let provider = IMDSCredentialProvider(environment: AWSEnvironment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL]), http: http)
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID.hasPrefix("ASIAIMDS") && credentials.source == "imds" && credentials.sessionToken != nil)
        let disabled = IMDSCredentialProvider(environment: AWSEnvironment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL,
                                                                         "AWS_EC2_METADATA_DISABLED": "true"]), http: http)
        #expect(try await #require(throws: CredentialError.self) { try await disabled.credentials() }.notConfigured)
        let absent = IMDSCredentialProvider(environment: AWSEnvironment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"]), http: http)
        #expect(try await #require(throws: CredentialError.self) { try await absent.credentials() }.notConfigured)
    }

    @Test func sharedFilesStaticKeysAndSourceProfileRole() async throws {
        let moto = try Moto.shared(), directory = try scratch()
        let config = directory.appendingPathComponent("config"), credentialsFile = directory.appendingPathComponent("credentials")
        try """
            [default]
            region = us-west-2
            [profile dr]
            role_arn = arn:aws:iam::444444444444:role/lifeboat-dr
            source_profile = base
            external_id = ext-123
            role_session_name = lifeboat-test
            [profile chained]
            role_arn = arn:aws:iam::555555555555:role/second
            source_profile = dr
            [profile loop-a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = loop-a
            [sso-session ignored]
            sso_region = us-east-1
            """.write(to: config, atomically: true, encoding: .utf8)
        try """
            [base]
            aws_access_key_id = AKIABASE
            aws_secret_access_key = basesecret # a comment
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = defaultsecret
            """.write(to: credentialsFile, atomically: true, encoding: .utf8)
        func env(_ profile: String?) -> AWSEnvironment {
            var variables = ["AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path, "AWS_ENDPOINT_URL": moto.baseURL]
            if let profile { variables["AWS_PROFILE"] = profile }
            return AWSEnvironment(variables)
        }
        let plain = try await SharedConfigCredentialProvider(environment: env(nil), http: http).credentials()
        #expect(plain.accessKeyID == "AKIADEFAULT" && plain.secretAccessKey == "defaultsecret")
        let role = try await SharedConfigCredentialProvider(environment: env("dr"), http: http, retry: Moto.instantRetry).credentials()
        #expect(role.accountID == "444444444444" && role.sessionToken != nil)
        let chained = try await SharedConfigCredentialProvider(environment: env("chained"), http: http, retry: Moto.instantRetry).credentials()
        #expect(chained.accountID == "555555555555")
        let loop = try await #require(throws: CredentialError.self) {
            try await SharedConfigCredentialProvider(environment: env("loop-a"), http: http).credentials()
        }
        #expect(loop.message.contains("cycle"))
        let missing = try await #require(throws: CredentialError.self) {
            try await SharedConfigCredentialProvider(environment: env("nope"), http: http).credentials()
        }
        #expect(!missing.notConfigured && missing.message.contains("nope"))
    }

    @Test func iniParsing() {
        let file = SharedConfigFile(config: "[profile a]\nregion=eu-west-1\ns3 =\n  max_concurrent_requests = 10\n[services x]\nfoo = bar\n",
                                    credentials: "[a]\naws_access_key_id = K\n")
        #expect(file.profile("a") == ["region": "eu-west-1", "s3": "", "aws_access_key_id": "K"])
        #expect(file.profile("x") == nil)
    }

    @Test func chainOrderSkipsUnconfiguredAndStopsOnBroken() async throws {
        let server = try Self.endpointsResult.get()
        let both = AWSEnvironment(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s",
                                   "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL, "HOME": "/nonexistent"])
        #expect(try await CredentialProviderChain.standard(environment: both, http: http).credentials().source == "environment")
        let imdsOnly = AWSEnvironment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL, "HOME": "/nonexistent"])
        #expect(try await CredentialProviderChain.standard(environment: imdsOnly, http: http).credentials().source == "imds")
        let broken = AWSEnvironment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/container/creds",
                                     "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL,
                                     "HOME": "/nonexistent"])
        let error = try await #require(throws: CredentialError.self) { try await CredentialProviderChain.standard(environment: broken, http: http).credentials() }
        #expect(error.provider == "container", "a configured source that fails is reported, not skipped for IMDS")
        let nothing = AWSEnvironment(["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent"])
        let none = try await #require(throws: CredentialError.self) { try await CredentialProviderChain.standard(environment: nothing, http: http).credentials() }
        #expect(none.message.contains("environment") && none.message.contains("imds"))
    }

    @Test func credentialsNeverPrintSecrets() {
        let credentials = AWSCredentials(accessKeyID: "AKIAABCDEFGHIJKLWXYZ", secretAccessKey: "very-secret-value", sessionToken: "session-token-value")
        for text in ["\(credentials)", String(describing: credentials), String(reflecting: credentials), dumped(credentials)] {
            #expect(!text.contains("very-secret-value") && !text.contains("session-token-value") && !text.contains("AKIAABCDEFGHIJKL"))
            #expect(text.contains("WXYZ"))
        }
    }

    private func dumped(_ value: Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
