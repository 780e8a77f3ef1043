import TestSupport
import Foundation
import Testing

/// An AWS endpoint that takes the connection and never answers: drctl says which endpoint did
/// not answer, quickly, instead of blaming credentials minutes later. The timeouts are set small
/// through LIFEBOAT_AWS_REQUEST_TIMEOUT; nothing here measures time.
@Suite struct DrctlUnansweredEndpointTests {
    static func environment(_ listener: SilentListener) -> [String: String] {
        ["AWS_ENDPOINT_URL": listener.url, "AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-1",
         "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
         "AWS_EC2_METADATA_DISABLED": "true", "LIFEBOAT_AWS_REQUEST_TIMEOUT": "300ms", "LIFEBOAT_AWS_CONNECT_TIMEOUT": "1s"]
    }

    @Test func doctorNamesTheEndpointThatDidNotAnswer() throws {
        let listener = try SilentListener()
        let result = try DrctlRunner.run(["doctor"], environment: Self.environment(listener))
        #expect(result.status == 1)
        #expect(result.stdout.contains("RequestTimeout: \(listener.url) did not answer within 300ms (2 attempts): it accepted the connection but sent no response"), "\(result.stdout)")
        #expect(result.stdout.contains("hint: check that \(listener.url) is the AWS endpoint you mean"), "\(result.stdout)")
        #expect(!result.stdout.contains("give Lifeboat AWS credentials"))
    }

    @Test func runLogsEachUnansweredAttemptAsTransient() async throws {
        let listener = try SilentListener()
        let workspace = try RunWorkspace()
        defer { workspace.remove() }
        let plan = try workspace.plan([("app", ["web"])])
        let state = workspace.path("state")
        var environment = Self.environment(listener)
        environment["LIFEBOAT_LOCK_DIR"] = workspace.path("locks")
        let run = try BackgroundDrctl(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Recovery", "--state-dir", state,
                                       "--log-format", "json"], in: workspace.root, environment: environment)
        // sts:AssumeRole gets no answer: the resource retries (transient), and says why.
        let retrying = await eventually(within: 60) { run.stderrSoFar.contains("\"reason\":\"ResourceRetrying\"") }
        #expect(retrying, "\(run.stderrSoFar)")
        #expect(run.stderrSoFar.contains("\(listener.url) did not answer within 300ms"), "\(run.stderrSoFar)")
        #expect(workspace.resourceStates(state)["web"] != "Failed")
        run.signal(SIGKILL)
        _ = try run.wait()
    }
}
