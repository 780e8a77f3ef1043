import Foundation

/// A testenv server as a child process (moto, the Kubernetes test API server): every testenv
/// launcher prints one JSON line with its port once it answers, and exits when its standard
/// input closes — so a bench that dies takes its servers with it.
final class TestServerProcess {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private let process = Process()
    private let input = Pipe()
    let baseURL: String

    /// `module` is the Python module to run (`testenv.aws.moto_launcher`, `testenv.kube`).
    init(module: String, arguments: [String] = [], name: String) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", module] + arguments
        process.currentDirectoryURL = Self.packageRoot
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        guard let info = try? JSONSerialization.jsonObject(with: line) as? [String: Any], let port = info["port"] as? Int else {
            try? input.fileHandleForWriting.close()
            process.terminate()
            throw BenchmarkFailure(message: "\(name) did not start (run scripts/bootstrap)")
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
