#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import YAML

/// A kubeconfig file (`~/.kube/config`), as kubectl reads it. Only the fields a client needs;
/// unknown fields (preferences, extensions) are ignored.
public struct KubeConfig: Codable, Sendable, Hashable {
    public struct Named<T: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
        public var name: String
        public var value: T
        enum CodingKeys: String, CodingKey { case name, cluster, user, context }

        public init(name: String, value: T) {
            self.name = name
            self.value = value
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            let key = [CodingKeys.cluster, .user, .context].first { container.contains($0) }
            guard let key else {
                throw DecodingError.keyNotFound(CodingKeys.cluster, .init(codingPath: container.codingPath,
                                                                           debugDescription: "no cluster, user or context"))
            }
            value = try container.decode(T.self, forKey: key)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            let key: CodingKeys = T.self == Cluster.self ? .cluster : T.self == User.self ? .user : .context
            try container.encode(value, forKey: key)
        }
    }

    public struct Cluster: Codable, Sendable, Hashable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        enum CodingKeys: String, CodingKey {
            case server, certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }

    public struct User: Codable, Sendable, Hashable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var exec: ExecConfig?
        enum CodingKeys: String, CodingKey {
            case token, tokenFile, exec
            case clientCertificate = "client-certificate", clientCertificateData = "client-certificate-data"
            case clientKey = "client-key", clientKeyData = "client-key-data"
        }
    }

    public struct Context: Codable, Sendable, Hashable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
    }

    /// `users[].user.exec`: a credential plugin (client.authentication.k8s.io), as `aws eks get-token`.
    public struct ExecConfig: Codable, Sendable, Hashable {
        public struct EnvVar: Codable, Sendable, Hashable {
            public var name: String
            public var value: String
        }
        public var apiVersion: String?
        public var command: String
        public var args: [String]?
        public var env: [EnvVar]?
    }

    public var currentContext: String?
    public var clusters: [Named<Cluster>]?
    public var users: [Named<User>]?
    public var contexts: [Named<Context>]?

    enum CodingKeys: String, CodingKey { case currentContext = "current-context", clusters, users, contexts }

    public init(currentContext: String? = nil, clusters: [Named<Cluster>] = [], users: [Named<User>] = [],
                contexts: [Named<Context>] = []) {
        self.currentContext = currentContext
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
    }

    /// Parses one file's text. Relative file paths inside it are made absolute against
    /// `directory`, as kubectl resolves them against the file that names them.
    public static func parse(_ text: String, file: String? = nil, directory: String? = nil) throws -> KubeConfig {
        var config = try YAMLDecoder().decode(KubeConfig.self, from: text, file: file)
        if let directory { config.resolvePaths(against: directory) }
        return config
    }

    public static func load(path: String) throws -> KubeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeError.configuration("cannot read kubeconfig \(path)")
        }
        let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        return try parse(String(decoding: data, as: UTF8.self), file: path, directory: directory)
    }

    /// Loads a `KUBECONFIG`-style list (`a:b:c`), merged with `merged(with:)`. Missing files are
    /// skipped as kubectl skips them; an empty list means `~/.kube/config`.
    public static func load(list: String, home: String?) throws -> KubeConfig {
        let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        let files = paths.isEmpty ? [home.map { "\($0)/.kube/config" } ?? ""] : paths
        var merged = KubeConfig()
        var found = false
        for path in files where FileManager.default.fileExists(atPath: path) {
            merged = merged.merged(with: try load(path: path))
            found = true
        }
        guard found else { throw KubeError.configuration("no kubeconfig found in \(files.joined(separator: ":"))") }
        return merged
    }

    /// kubectl's merge: the first file to set a value wins (current-context, and each named
    /// cluster, user and context as a whole). `self` is the earlier file.
    public func merged(with later: KubeConfig) -> KubeConfig {
        func union<T>(_ a: [Named<T>]?, _ b: [Named<T>]?) -> [Named<T>] {
            var seen = Set((a ?? []).map(\.name))
            var out = a ?? []
            for item in b ?? [] where !seen.contains(item.name) {
                out.append(item)
                seen.insert(item.name)
            }
            return out
        }
        let current = (currentContext?.isEmpty == false) ? currentContext : later.currentContext
        return KubeConfig(currentContext: current, clusters: union(clusters, later.clusters),
                          users: union(users, later.users), contexts: union(contexts, later.contexts))
    }

    private mutating func resolvePaths(against directory: String) {
        func absolute(_ path: String?) -> String? {
            guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: "\(directory)/\(path)").standardizedFileURL.path
        }
        clusters = clusters?.map { named in
            var named = named
            named.value.certificateAuthority = absolute(named.value.certificateAuthority)
            return named
        }
        users = users?.map { named in
            var named = named
            named.value.tokenFile = absolute(named.value.tokenFile)
            named.value.clientCertificate = absolute(named.value.clientCertificate)
            named.value.clientKey = absolute(named.value.clientKey)
            // A command with a slash is a path relative to the file; a bare name is looked up on PATH.
            if let command = named.value.exec?.command, command.contains("/") {
                named.value.exec?.command = absolute(command) ?? command
            }
            return named
        }
    }
}
