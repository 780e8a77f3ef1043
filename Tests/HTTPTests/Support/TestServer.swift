import Foundation

/// A server from testenv/ run as a child process (`python3 -m testenv.<module>`), shared by the
/// HTTP, AWS and drctl tests (this file is linked into each test target: there is no shared
/// test-support target). The server prints one JSON line once it answers, so starting one waits
/// on that line (with a deadline), never on a sleep; it exits when its stdin closes, which
/// `stop()` does, and which also happens if the test process dies.
final class TestServer: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let info: [String: Any]
    let port: Int
    private let process: Process
    private let input: Pipe
    private let lock = NSLock()
    private var stopped = false

    var baseURL: String { "http://127.0.0.1:\(port)" }
    func string(_ key: String) -> String? { info[key] as? String }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    init(_ module: String, _ arguments: [String] = [], environment: [String: String] = [:],
         deadline: TimeInterval = 90) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", module] + arguments
        process.currentDirectoryURL = Self.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["PYTHONUNBUFFERED"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe(), input = Pipe()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("testenv-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = output
        process.standardInput = input
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()

        // The first line on stdout says the server is ready; read it on a thread so a hung
        // start-up fails at the deadline instead of hanging the test run.
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var line = Data()
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let byte = reader.readData(ofLength: 1)
                if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
                line.append(byte)
            }
            ready.signal()
        }
        let timedOut = ready.wait(timeout: .now() + deadline) == .timedOut
        let parsed = timedOut ? nil : (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
        guard let parsed, let port = parsed["port"] as? Int else {
            try? input.fileHandleForWriting.close()
            process.terminate()
            let tail = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            throw StartFailure(description: "testenv server \(module) did not start\(timedOut ? " within \(Int(deadline)) s" : ""): \(tail)")
        }
        self.process = process
        self.input = input
        self.info = parsed
        self.port = port
    }

    /// Closes the server's stdin and waits for it to exit.
    func stop() {
        let first = lock.withLock { defer { stopped = true }; return !stopped }
        guard first else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { stop() }

    /// A JSON GET/POST against the server's own control routes (stats, faults, reset).
    func control(_ method: String, _ path: String, body: Any? = nil) throws -> Any {
        var request = URLRequestLite(method: method, url: baseURL + path)
        if let body {
            request.body = JSONSerialization.isValidJSONObject(body) ? try JSONSerialization.data(withJSONObject: body) : Data("\(body)".utf8)
        }
        let data = try request.perform()
        return data.isEmpty ? [:] : try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }
}

/// The control calls go through Python's urllib, not through the client under test, so a bug in
/// the client cannot hide itself; and FoundationNetworking stays out of the tests too.
struct URLRequestLite {
    var method: String
    var url: String
    var body: Data?

    init(method: String, url: String) {
        self.method = method
        self.url = url
    }

    func perform() throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, method, url]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: body ?? Data())
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServer.StartFailure(description: "\(method) \(url) failed: \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    private static let script = """
        import sys, urllib.request
        body = sys.stdin.buffer.read()
        request = urllib.request.Request(sys.argv[2], data=body if sys.argv[1] != "GET" else None, method=sys.argv[1],
                                         headers={"Content-Type": "application/json"})
        try:
            sys.stdout.buffer.write(urllib.request.urlopen(request, timeout=60).read())
        except urllib.error.HTTPError as error:
            sys.stdout.buffer.write(error.read()); sys.exit(1)
        """
}
