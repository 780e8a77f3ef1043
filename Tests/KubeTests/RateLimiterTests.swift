import Testing
@testable import Kube

@Suite struct RateLimiterTests {
    /// QPS 0 means "no client-side limit" (a configuration knob, not a crash).
    @Test func qpsZeroMeansNoLimit() async throws {
        let limiter = RateLimiter(qps: 0, burst: 0)
        for _ in 0..<1000 { try await limiter.acquire() }
        var configuration = ClientConfiguration(server: "http://127.0.0.1:1")
        configuration.qps = 0
        _ = KubeClient(configuration: configuration)
    }
}
