import Foundation
import Synchronization
import Testing
@testable import AWS
import HTTP
import TestSupport

/// Calls that get no useful answer: an endpoint that never replies fails fast with a timeout
/// that names it, and STS failures follow the same transient/permanent rules as every call.
@Suite struct UnansweredCallTests {
    @Test func anEndpointThatNeverAnswersFailsWithATimeoutNamingIt() async throws {
        let listener = try SilentListener()
        let attempts = Mutex(0)
        let retry = RetryConfiguration(maxAttempts: 3, sleep: { _ in attempts.withLock { $0 += 1 } })
        let http = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none,
                                                                     timeouts: HTTPTimeouts(connect: .seconds(5), total: .milliseconds(300))))
        let client = AWSClient(region: "us-east-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIATEST", secretAccessKey: "s")),
                               http: http, endpoints: EndpointResolver(environment: AWSEnvironment(["AWS_ENDPOINT_URL": listener.url])),
                               retry: retry)
        let error = try await #require(throws: AWSError.self) { try await STS(client).getCallerIdentity() }
        #expect(error.code == "RequestTimeout")
        #expect(error.isRetryable)
        #expect(error.message == "\(listener.url) did not answer within 300ms (2 attempts): it accepted the connection but sent no response", "\(error.message)")
        #expect(error.hint == "check that \(listener.url) is the AWS endpoint you mean (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) and that the network path and any proxy to it work")
        // A silent endpoint is retried once, not up to maxAttempts: a DR tool must fail fast.
        #expect(attempts.withLock { $0 } == 1)
    }

    @Test func aServiceUnavailableAssumeRoleIsTransientLikeAnyOtherCall() async throws {
        let harness = RetryTests.Harness(proxy: try RetryTests.proxyResult.get())
        let rule = try harness.fault(["kind": "error", "status": 503, "code": "ServiceUnavailable", "count": 20,
                                      "match": ["operation": "AssumeRole"]])
        let accounts = CrossAccountCredentials(base: harness.client(maxAttempts: 4), roleName: "lifeboat-execution", externalID: nil,
                                               executionName: "shop-activate")
        let client = await accounts.client(account: "222222222222", region: "us-west-2")
        let error = try await #require(throws: AWSError.self) { try await SSM(client).getParameter("/x") }
        #expect(try harness.hits(rule) == 4)
        #expect(error.code == "ServiceUnavailable")
        #expect(error.isRetryable, "a 503 of sts:AssumeRole is as transient as a 503 of SSM")
        #expect(error.message.contains("sts:AssumeRole of arn:aws:iam::222222222222:role/lifeboat-execution failed: ServiceUnavailable"), "\(error.message)")

        // Access denied stays permanent (another harness: another tag, so the 503 rule stays out).
        let second = RetryTests.Harness(proxy: harness.proxy)
        _ = try second.fault(["kind": "error", "status": 403, "code": "AccessDenied", "count": 20, "match": ["operation": "AssumeRole"]])
        let other = CrossAccountCredentials(base: second.client(maxAttempts: 4), roleName: "lifeboat-execution", externalID: nil,
                                            executionName: "shop-activate")
        let deniedError = try await #require(throws: AWSError.self) {
            try await SSM(await other.client(account: "222222222222", region: "us-west-2")).getParameter("/x")
        }
        #expect(!deniedError.isRetryable)
    }
}
