#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The environment variables the AWS SDKs read, passed around as a value so a test can give a
/// client its own environment without touching the process's (tests run concurrently).
public struct AWSEnvironment: Sendable, Hashable {
    public var variables: [String: String]

    public init(_ variables: [String: String]) { self.variables = variables }

    public static var process: AWSEnvironment { AWSEnvironment(ProcessInfo.processInfo.environment) }

    /// The value of `name`, nil when unset or empty (the SDKs treat empty as unset).
    public subscript(name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// AWS_REGION, then AWS_DEFAULT_REGION.
    public var region: String? { self["AWS_REGION"] ?? self["AWS_DEFAULT_REGION"] }
    public var profile: String { self["AWS_PROFILE"] ?? self["AWS_DEFAULT_PROFILE"] ?? "default" }
    public var home: String { self["HOME"] ?? "/root" }
    public var configFile: String { self["AWS_CONFIG_FILE"] ?? home + "/.aws/config" }
    public var credentialsFile: String { self["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials" }

    /// Reads a small file (a token file): nil when missing.
    static func readFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
