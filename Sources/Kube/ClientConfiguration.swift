#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import HTTP

/// Everything a `KubeClient` needs: where the server is, how to trust it, how to authenticate,
/// and how fast to go. Built from a kubeconfig context or from the in-cluster service account.
public struct ClientConfiguration: Sendable {
    public var server: String
    public var tls: TLSConfiguration
    public var credentials: Credentials
    /// The context's namespace (or the service account's), for callers that want a default.
    public var namespace: String
    /// Client-side rate limit, as client-go's defaults (5 QPS, burst 10).
    public var qps: Double = 5
    public var burst: Int = 10
    /// Attempts for a safe request (GET) that got 429 or 5xx or no answer; writes are never retried.
    public var maxAttempts: Int = 5
    public var timeouts = HTTPTimeouts(connect: .seconds(10), total: .seconds(60))
    public var userAgent = "lifeboat"

    public init(server: String, tls: TLSConfiguration = TLSConfiguration(), credentials: Credentials = .none,
                namespace: String = "default") {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
    }

    /// The configuration of `context` (or the current context) of a kubeconfig.
    public static func from(kubeConfig config: KubeConfig, context name: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClientConfiguration {
        guard let contextName = name ?? config.currentContext, !contextName.isEmpty else {
            throw KubeError.configuration("no context given and the kubeconfig has no current-context")
        }
        guard let context = config.contexts?.first(where: { $0.name == contextName })?.value else {
            throw KubeError.configuration("context \"\(contextName)\" is not in the kubeconfig")
        }
        guard let cluster = config.clusters?.first(where: { $0.name == context.cluster })?.value else {
            throw KubeError.configuration("cluster \"\(context.cluster)\" of context \"\(contextName)\" is not in the kubeconfig")
        }
        let user = try context.user.map { userName in
            guard let user = config.users?.first(where: { $0.name == userName })?.value else {
                throw KubeError.configuration("user \"\(userName)\" of context \"\(contextName)\" is not in the kubeconfig")
            }
            return user
        }

        var tls = TLSConfiguration(verifyPeer: !(cluster.insecureSkipTLSVerify ?? false))
        if let data = cluster.certificateAuthorityData { tls.certificateAuthorities = .bytes(try base64(data, "certificate-authority-data")) }
        else if let file = cluster.certificateAuthority { tls.certificateAuthorities = .file(file) }
        if let data = user?.clientCertificateData { tls.clientCertificate = .bytes(try base64(data, "client-certificate-data")) }
        else if let file = user?.clientCertificate { tls.clientCertificate = .file(file) }
        if let data = user?.clientKeyData { tls.clientKey = .bytes(try base64(data, "client-key-data")) }
        else if let file = user?.clientKey { tls.clientKey = .file(file) }

        let credentials: Credentials
        if let token = user?.token, !token.isEmpty { credentials = .token(token) }
        else if let file = user?.tokenFile { credentials = .tokenFile(file) }
        else if let exec = user?.exec { credentials = .exec(ExecCredentialPlugin(config: exec, environment: environment)) }
        else { credentials = .none }
        return ClientConfiguration(server: cluster.server, tls: tls, credentials: credentials,
                                   namespace: context.namespace ?? "default")
    }

    /// In a pod: the service account's token (re-read as the kubelet rotates it), its CA, and
    /// `KUBERNETES_SERVICE_HOST`/`_PORT`. `root` moves the well-known directory for tests.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 root: String = "/var/run/secrets/kubernetes.io/serviceaccount") throws -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"],
              !host.isEmpty, !port.isEmpty else {
            throw KubeError.configuration("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set")
        }
        guard FileManager.default.fileExists(atPath: "\(root)/token") else {
            throw KubeError.configuration("no service account token at \(root)/token")
        }
        let namespace = FileManager.default.contents(atPath: "\(root)/namespace")
            .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace() } ?? "default"
        let hostPart = host.contains(":") ? "[\(host)]" : host  // IPv6 literal
        return ClientConfiguration(server: "https://\(hostPart):\(port)",
                                   tls: TLSConfiguration(certificateAuthorities: .file("\(root)/ca.crt")),
                                   credentials: .tokenFile("\(root)/token"), namespace: namespace)
    }

    /// What kubectl would use: `KUBECONFIG` (or ~/.kube/config), else the in-cluster config.
    public static func standard(context: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClientConfiguration {
        if environment["KUBECONFIG"] == nil, environment["KUBERNETES_SERVICE_HOST"] != nil {
            return try inCluster(environment: environment)
        }
        let config = try KubeConfig.load(list: environment["KUBECONFIG"] ?? "", home: environment["HOME"])
        return try from(kubeConfig: config, context: context, environment: environment)
    }

    private static func base64(_ text: String, _ field: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }) else {
            throw KubeError.configuration("\(field) is not valid base64")
        }
        return Array(data)
    }
}

/// How requests authenticate. Descriptions never show a secret.
public enum Credentials: Sendable, CustomStringConvertible {
    case none
    case token(String)
    /// A token read from a file and re-read as it changes (service account tokens rotate hourly).
    case tokenFile(String)
    case exec(ExecCredentialPlugin)

    public var description: String {
        switch self {
        case .none: "none"
        case .token: "bearer token"
        case .tokenFile(let path): "token file \(path)"
        case .exec(let plugin): "exec plugin \(plugin.command)"
        }
    }
}
