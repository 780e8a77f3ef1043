import Testing
@testable import Operator

/// The command line: controller-runtime's spellings, both `--flag value` and `--flag=value`, and
/// a usage error that names the flag and what it takes.
@Suite struct OperatorOptionsTests {
    @Test func defaultsAreTheDocumentedOnes() throws {
        let options = try OperatorOptions.parse([])
        #expect(options.namespaces.isEmpty && !options.leaderElect)
        #expect(options.metricsBindAddress == .init(host: "0.0.0.0", port: 8080))
        #expect(options.healthProbeBindAddress == .init(host: "0.0.0.0", port: 8081))
        #expect(options.kubeAPIQPS == 20 && options.kubeAPIBurst == 30, "not below client-go's controller defaults")
        #expect(options.logFormat == .json && options.logLevel == .info)
    }

    @Test func everyFlagIsRead() throws {
        let options = try OperatorOptions.parse([
            "--kubeconfig", "/k", "--namespace", "a", "--namespace=b", "--leader-elect", "--leader-election-namespace", "ops",
            "--leader-elect-lease-duration", "30s", "--leader-elect-renew-deadline=20s", "--leader-elect-retry-period", "4s",
            "--concurrency", "8", "--metrics-bind-address", "127.0.0.1:9090", "--health-probe-bind-address=:0",
            "--log-level", "debug", "--log-format", "text", "--default-role-name", "dr-role", "--kube-api-qps", "50",
            "--kube-api-burst", "100", "--aws-endpoint-url", "http://127.0.0.1:5000", "--poll-interval", "2s",
        ])
        #expect(options.kubeconfig == "/k" && options.namespaces == ["a", "b"] && options.leaderElect)
        #expect(options.leaderElectionNamespace == "ops" && options.leaseDuration == .seconds(30))
        #expect(options.renewDeadline == .seconds(20) && options.retryPeriod == .seconds(4) && options.concurrency == 8)
        #expect(options.metricsBindAddress == .init(host: "127.0.0.1", port: 9090))
        #expect(options.healthProbeBindAddress == .init(host: "0.0.0.0", port: 0))
        #expect(options.logLevel == .debug && options.logFormat == .text && options.defaultRoleName == "dr-role")
        #expect(options.kubeAPIQPS == 50 && options.kubeAPIBurst == 100 && options.awsEndpointURL == "http://127.0.0.1:5000")
        #expect(options.pollInterval == .seconds(2))
    }

    @Test func zeroTurnsAServerOffAndFalseTurnsAFlagOff() throws {
        let options = try OperatorOptions.parse(["--metrics-bind-address", "0", "--leader-elect=false"])
        #expect(options.metricsBindAddress == nil && !options.leaderElect)
    }

    @Test(arguments: [
        (["--concurrency", "0"], "--concurrency 0: a whole number above 0"),
        (["--log-format", "yaml"], "--log-format yaml: use json or text"),
        (["--metrics-bind-address", "8080"], "--metrics-bind-address: \"8080\" is not HOST:PORT"),
        (["--namespace"], "--namespace needs a value"),
        (["--frobnicate"], "unknown flag --frobnicate"),
        (["--leader-elect-renew-deadline", "20s"], "leader election needs --leader-elect-lease-duration > --leader-elect-renew-deadline"),
        (["--poll-interval", "10ms"], "--poll-interval 10ms: a duration of at least 1s"),
    ])
    func badFlagsAreUsageErrorsNamingTheFlag(arguments: [String], message: String) {
        #expect {
            _ = try OperatorOptions.parse(arguments)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
