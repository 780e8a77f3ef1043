import Foundation
@testable import AWS
import HTTP

/// The moto server of this test process (started once, on first use) and clients aimed at it.
/// Tests share it and keep apart by unique resource names; tests that change moto's global state
/// (auth mode) start their own.
enum Moto {
    static let sharedResult = Result { try TestServer("testenv.aws.moto_launcher") }
    static func shared() throws -> TestServer { try sharedResult.get() }

    static let testCredentials = AWSCredentials(accessKeyID: "AKIATESTTESTTEST", secretAccessKey: "testing-secret")

    /// Retries without real waiting: the tests look at attempts, not at time.
    static let instantRetry = RetryConfiguration(maxAttempts: 3, sleep: { _ in }, random: { 0.5 })

    static func environment(_ server: TestServer, _ extra: [String: String] = [:]) -> AWSEnvironment {
        AWSEnvironment(["AWS_ENDPOINT_URL": server.baseURL].merging(extra) { _, new in new })
    }

    static func client(_ server: TestServer, region: String = "us-east-1", credentials: AWSCredentials = testCredentials,
                       retry: RetryConfiguration = instantRetry, http: HTTPClient = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none)))
        -> AWSClient {
        AWSClient(region: region, credentials: StaticCredentialProvider(credentials), http: http,
                  endpoints: EndpointResolver(environment: environment(server)), retry: retry)
    }

    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// Runs `python3 -m <module> args…` from the repository root and returns its stdout.
    static func python(_ module: String, _ arguments: [String], stdin: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", module] + arguments
        process.currentDirectoryURL = TestServer.packageRoot
        let output = Pipe(), input = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = errors
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: stdin ?? Data())
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errorText = Data()
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread { errorText = errors.fileHandleForReading.readDataToEndOfFile(); drained.signal() }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServer.StartFailure(description: "python3 -m \(module) failed: \(String(decoding: errorText, as: UTF8.self))")
        }
        return data
    }
}
