import Foundation
import YAML

/// The files in examples/, read from the source tree.
enum Examples {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func document(_ relativePath: String) throws -> YAMLDocument {
        try YAML.parseDocument(text(relativePath), file: "examples/\(relativePath)")
    }

    static let executions = ["instantiate-drill", "activate-recovery", "cleanup-recovery", "replicate-recovery"]
        .map { "executions/\($0).yaml" }
}
