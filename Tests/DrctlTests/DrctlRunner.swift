import Foundation

/// Runs the real drctl binary, as a user would, and captures what it printed.
struct DrctlResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum DrctlRunner {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The drctl built next to this test bundle (`make test` builds it first); DRCTL overrides.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["DRCTL"] { return URL(fileURLWithPath: path) }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("drctl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/drctl")
    }

    /// `environment` is added to the test process's own (AWS endpoint and credentials, say).
    /// `directory` is the working directory (default: the package root, where examples/ is).
    static func run(_ arguments: [String], stdin: String? = nil, argv0: String? = nil,
                    environment: [String: String] = [:], directory: URL? = nil) throws -> DrctlResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("drctl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var executable = binary
        if let argv0 {
            executable = scratch.appendingPathComponent(argv0)
            try FileManager.default.createSymbolicLink(at: executable, withDestinationURL: binary)
        }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        // Tests run in parallel: each run gets its own plan-lock directory unless the test shares
        // one on purpose (the machine-wide default would make two tests of one plan name collide).
        var environment = environment
        if environment["LIFEBOAT_LOCK_DIR"] == nil { environment["LIFEBOAT_LOCK_DIR"] = scratch.appendingPathComponent("locks").path }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return DrctlResult(status: process.terminationStatus,
                           stdout: try String(contentsOf: outURL, encoding: .utf8),
                           stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}
