import Foundation
import YAML

/// A drctl started in the background: a run waiting at a gate, or one to kill mid-layer. Its
/// output goes to files in `directory`, read when it has ended.
final class BackgroundDrctl {
    let process = Process()
    let directory: URL

    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        self.directory = directory
        let output = directory.appendingPathComponent("drctl-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: output.path + ".err", contents: nil)
        process.executableURL = DrctlRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = DrctlRunner.packageRoot
        // One plan-lock directory per test workspace (see DrctlRunner.run).
        var environment = environment
        if environment["LIFEBOAT_LOCK_DIR"] == nil { environment["LIFEBOAT_LOCK_DIR"] = directory.appendingPathComponent("locks").path }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output.path + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: output.path + ".err"))
        process.standardInput = FileHandle.nullDevice
        outputBase = output
        try process.run()
    }

    private let outputBase: URL
    var pid: Int32 { process.processIdentifier }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// What it has written to standard error so far (while it runs).
    var stderrSoFar: String { (try? String(contentsOfFile: outputBase.path + ".err", encoding: .utf8)) ?? "" }

    func wait() throws -> DrctlResult {
        process.waitUntilExit()
        return DrctlResult(status: process.terminationStatus,
                           stdout: try String(contentsOfFile: outputBase.path + ".out", encoding: .utf8),
                           stderr: try String(contentsOfFile: outputBase.path + ".err", encoding: .utf8))
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A temporary directory with plans in it, and readers for what `drctl run` leaves in a state
/// directory (tests read the files as any script would).
struct RunWorkspace {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("drctl-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// Writes a file and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// A plan whose modules all run for real in a Drill (EC2, AutoScaling): layers in order,
    /// `gates` layers with pauseBefore, the start gate when `startGate`.
    func plan(_ layers: [(String, [String])], pauseBefore gates: Set<String> = [], startGate: Bool = false) throws -> String {
        var text = """
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRPlan
            metadata:
              name: shop
              namespace: dr
            spec:
              regions: {primary: us-east-1, secondary: us-west-2}
              accounts: {default: "111111111111"}
              approvals: {phases: [\(startGate ? "Instantiate" : "Activate")], drills: Required}
              layers:

            """
        for (layer, resources) in layers {
            text += "  - name: \(layer)\n    pauseBefore: \(gates.contains(layer))\n    resources:\n"
            for (index, resource) in resources.enumerated() {
                text += index % 2 == 0
                    ? "    - {name: \(resource), module: EC2, parameters: {HostNames: [\(resource)]}}\n"
                    : "    - {name: \(resource), module: AutoScaling, parameters: {AutoScalingGroupNames: [\(resource)], DesiredCount: 2}}\n"
            }
        }
        return try write("plan.yaml", text)
    }

    /// A JSON or YAML file of a state directory, or nil while it does not exist.
    func read(_ directory: String, _ file: String) -> JSONValue? {
        guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { return nil }
        return try? YAML.parseDocument(text).value
    }

    func execution(_ directory: String) -> JSONValue? { read(directory, "execution.yaml") }

    /// Every resource's state, by name.
    func resourceStates(_ directory: String) -> [String: String] {
        var states: [String: String] = [:]
        for layer in execution(directory)?["status"]?["layers"]?.arrayValue ?? [] {
            for resource in layer["resources"]?.arrayValue ?? [] {
                states[resource["name"]?.stringValue ?? ""] = resource["state"]?.stringValue
            }
        }
        return states
    }

}
