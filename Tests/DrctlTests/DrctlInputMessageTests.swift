import Foundation
import Testing

/// Messages about what was given on the command line: empty input, missing or unreadable
/// files, options a command does not take.
@Suite struct DrctlInputMessageTests {
    let workspace: RunWorkspace

    init() throws { workspace = try RunWorkspace() }

    @Test func validatingAnEmptyFileOrEmptyStandardInputSaysThereIsNothingToValidate() throws {
        defer { workspace.remove() }
        let empty = try workspace.write("empty.yaml", "")
        let file = try DrctlRunner.run(["validate", "-f", empty])
        #expect(file.status == 1, "\(file.stdout)")
        #expect(file.stdout.contains("\(empty): error: nothing to validate: the file holds no document"), "\(file.stdout)")
        let stdin = try DrctlRunner.run(["validate", "-f", "-"], stdin: "")
        #expect(stdin.status == 1, "\(stdin.stdout)")
        #expect(stdin.stdout.contains("<stdin>: error: nothing to validate: the file holds no document"), "\(stdin.stdout)")
    }

    @Test func aMissingApplicationManifestIsSaidNotToExist() throws {
        defer { workspace.remove() }
        let missing = workspace.path("payments-web-ACTIVATE.json")
        let result = try DrctlRunner.run(["convert", "enterprise", "-f", missing, "--primary", "us-east-1", "--secondary", "us-west-2"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(missing): no such file"), "\(result.stderr)")
        #expect(!result.stderr.contains("permissions"))
    }

    @Test func convertHelpOffersOnlyTheFormatsItWrites() throws {
        let help = try DrctlRunner.run(["convert", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Output format: yaml (default) or json."), "\(help.stdout)")
        #expect(!help.stdout.contains("text, json or yaml"))
    }

    @Test func nonUTF8InputIsReportedAtItsFirstBadByte() throws {
        defer { workspace.remove() }
        let path = workspace.path("latin1.yaml")
        try Data("kind: DRPlan\nmetadata: {name: caf".utf8 + [0xE9] + Data("}\n".utf8)).write(to: URL(fileURLWithPath: path))
        let result = try DrctlRunner.run(["validate", "-f", path])
        #expect(result.stderr.contains("\(path):2:21: not UTF-8 text: byte 0xE9 (byte offset 33); save the file as UTF-8"), "\(result.stderr)")
    }

    @Test(arguments: [
        ["status", "--state-dir", "STATE", "extra"],
        ["version", "extra"],
        ["cancel", "--state-dir", "STATE", "extra"],
        ["doctor", "extra"],
    ])
    func extraArgumentsAreRefused(arguments: [String]) throws {
        defer { workspace.remove() }
        try FileManager.default.createDirectory(atPath: workspace.path("state"), withIntermediateDirectories: true)
        let result = try DrctlRunner.run(arguments.map { $0 == "STATE" ? workspace.path("state") : $0 })
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("unexpected argument \"extra\""), "\(result.stderr)")
    }
}
