import AWS
import Foundation
import HTTP

/// The AWS client's own cost: SigV4 signatures per second, and per request against moto, the
/// time the client adds (credentials, endpoint, signing, error/retry plumbing, XML parsing) on
/// top of the same request sent raw over the same HTTP client. Starts and stops its own moto.
enum AWSBenchmark: BenchmarkSuite {
    static let name = "aws"
    static let summary = "SigV4 signatures per second; client per-request overhead against moto"

    static func run() async throws -> [Measurement] {
        var rows = [Measurement(name, "SigV4 signatures (SSM GetParameter)", signaturesPerSecond(), "per s")]
        let moto = try TestServerProcess(module: "testenv.aws.moto_launcher", name: "moto (moto[server])")
        defer { moto.stop() }
        let (client, raw) = try await perRequest(moto.baseURL)
        rows.append(Measurement(name, "STS GetCallerIdentity via AWSClient, mean", client.wall * 1000, "ms"))
        rows.append(Measurement(name, "same request via raw HTTPClient, mean", raw.wall * 1000, "ms"))
        rows.append(Measurement(name, "client overhead per request (wall, noisy)", max(0, client.wall - raw.wall) * 1e6, "us"))
        rows.append(Measurement(name, "client overhead per request (CPU)", max(0, client.cpu - raw.cpu) * 1e6, "us"))
        rows.append(Measurement(name, "CPU per request via raw HTTPClient", raw.cpu * 1e6, "us", target: "≤ 150"))
        rows.append(Measurement(name, "CPU while idle for 2 s (HTTP loop thread alive)", try await idleCPU() * 1000, "ms", target: "~0"))
        return rows
    }

    static func signaturesPerSecond() -> Double {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "token")
        let signer = SigV4Signer(region: "us-west-2", service: "ssm")
        let template = SigV4Signer.Request(method: "POST", host: "ssm.us-west-2.amazonaws.com", path: "/",
            headers: ["Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.GetParameter"],
            body: Array(#"{"Name":"/dr/payments/elasticache/subnet-group","WithDecryption":true}"#.utf8))
        let count = 20_000
        var check = 0
        let elapsed = ContinuousClock().measure {
            for index in 0..<count {
                var request = template
                signer.sign(&request, credentials: credentials, time: 1_440_938_160 + Double(index % 60))
                check &+= request.headers["Authorization"]?.utf8.count ?? 0
            }
        }
        precondition(check > 0)
        return Double(count) / seconds(elapsed)
    }

    struct Cost {
        var wall = 0.0
        var cpu = 0.0
    }

    /// Mean seconds per call, wall clock and this process's CPU: through AWSClient, and the
    /// identical signed request sent raw. The CPU figure is what the client costs the operator,
    /// free of moto's own (noisy) latency.
    static func perRequest(_ endpoint: String) async throws -> (client: Cost, raw: Cost) {
        let environment = AWSEnvironment(["AWS_ENDPOINT_URL": endpoint])
        let http = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none))
        let credentials = AWSCredentials(accessKeyID: "AKIABENCH", secretAccessKey: "bench-secret")
        let client = AWSClient(region: "us-east-1", credentials: StaticCredentialProvider(credentials), http: http,
                               endpoints: EndpointResolver(environment: environment))
        let sts = STS(client)
        let body = Array("Action=GetCallerIdentity&Version=2011-06-15".utf8)
        var signed = SigV4Signer.Request(method: "POST", host: String(endpoint.dropFirst("http://".count)), path: "/",
                                         headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: body)
        SigV4Signer(region: "us-east-1", service: "sts").sign(&signed, credentials: credentials, time: AWSTimestamp.now())
        let rawRequest = HTTPRequest(method: .post, url: endpoint + "/", headers: signed.headers, body: body)

        for _ in 0..<20 { _ = try await sts.getCallerIdentity(); _ = try await http.send(rawRequest) }  // warm up moto and connections
        let rounds = 5, perRound = 40
        var clientCost = Cost(), rawCost = Cost()
        func measure(_ cost: inout Cost, _ work: () async throws -> Void) async throws {
            let cpu = EngineBenchmark.cpuSeconds()
            cost.wall += seconds(try await ContinuousClock().measure { try await work() })
            cost.cpu += EngineBenchmark.cpuSeconds() - cpu
        }
        // Interleaved rounds, so a drift in moto's speed affects both sides alike. moto runs in
        // another process, so its CPU is not counted.
        for _ in 0..<rounds {
            try await measure(&clientCost) { for _ in 0..<perRound { _ = try await sts.getCallerIdentity() } }
            try await measure(&rawCost) {
                for _ in 0..<perRound {
                    let response = try await http.send(rawRequest)
                    precondition(response.isSuccess, "moto refused the benchmark request: HTTP \(response.status)")
                }
            }
        }
        let calls = Double(rounds * perRound)
        return (Cost(wall: clientCost.wall / calls, cpu: clientCost.cpu / calls), Cost(wall: rawCost.wall / calls, cpu: rawCost.cpu / calls))
    }

    /// The HTTP event loop blocks in curl_multi_poll when there is nothing to do: the process
    /// should burn no CPU while it waits.
    static func idleCPU() async throws -> Double {
        let before = EngineBenchmark.cpuSeconds()
        try await Task.sleep(for: .seconds(2))
        return EngineBenchmark.cpuSeconds() - before
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
