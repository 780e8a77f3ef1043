import Engine
import YAML

/// A module's checkpoint as a Codable value: written to status by `start`, read back by every
/// `check` (possibly in another process after a restart), so it must hold everything a poll needs.
protocol Checkpoint: Codable, Sendable {}

extension Checkpoint {
    var json: JSONValue {
        // Encoding plain Codable structs of strings, numbers and arrays cannot fail.
        (try? JSONValueEncoder().encode(self)) ?? .null
    }

    /// The checkpoint `start` wrote, or a permanent error when it is not one this module wrote
    /// (a status edited by hand, or written by another version).
    static func decode(_ value: JSONValue, module: String) throws(ModuleError) -> Self {
        do {
            return try YAMLDecoder().decode(Self.self, from: value)
        } catch {
            throw .permanent("the \(module) checkpoint in status cannot be read (\(error.message)); retry the resource to start it again",
                             code: "BadCheckpoint")
        }
    }
}
