#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTP
import TimeFormats

/// Runs a client.authentication.k8s.io credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`)
/// and caches its token until the `expirationTimestamp` it reports, as client-go does. Without an
/// expiry the token is kept until the server rejects it (`invalidate()` after a 401).
public actor ExecCredentialPlugin {
    public nonisolated let command: String
    let arguments: [String]
    let environment: [String: String]
    let apiVersion: String
    private let now: @Sendable () -> Date
    private var cached: (token: String, expiry: Date?)?

    public init(config: KubeConfig.ExecConfig, environment: [String: String],
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.command = config.command
        self.arguments = config.args ?? []
        var merged = environment
        for variable in config.env ?? [] { merged[variable.name] = variable.value }
        self.environment = merged
        self.apiVersion = config.apiVersion ?? "client.authentication.k8s.io/v1"
        self.now = now
    }

    /// The current token: cached while it is valid, else from a fresh run of the plugin.
    public func token() async throws -> String {
        if let cached, cached.expiry.map({ $0 > now() }) ?? true { return cached.token }
        let output = try await run()
        let credential: ExecCredential
        do { credential = try KubeJSON.decode(ExecCredential.self, from: output) } catch {
            throw KubeError.configuration("exec plugin \(command) printed no valid ExecCredential: \(error)")
        }
        guard let token = credential.status?.token, !token.isEmpty else {
            throw KubeError.configuration("exec plugin \(command) returned no token (client certificates from plugins are not supported)")
        }
        let expiry = try credential.status?.expirationTimestamp.map(Self.parseTime)
        cached = (token, expiry)
        return token
    }

    public func invalidate() { cached = nil }

    /// How many times the plugin ran: tests check the cache with it.
    public private(set) var runs = 0

    private func run() async throws -> [UInt8] {
        runs += 1
        // A bare name is looked up on PATH by /usr/bin/env, as kubectl's exec.LookPath would.
        let argv = command.contains("/") ? [command] + arguments : ["/usr/bin/env", command] + arguments
        var environment = self.environment
        // The v1 protocol hands the plugin its request on KUBERNETES_EXEC_INFO.
        environment["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"\#(apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#
        let command = self.command
        let variables = environment.map { "\($0.key)=\($0.value)" }
        return try await withCheckedThrowingContinuation { continuation in
            // Reading to EOF before waiting, on a thread of its own, so a chatty plugin cannot fill
            // the pipe and block while we wait for it to exit.
            DetachedThread.start {
                continuation.resume(with: ChildProcess.output(of: argv, environment: variables).mapError { problem in
                    KubeError.configuration("exec plugin \(command) \(problem)")
                })
            }
        }
    }

    static func parseTime(_ text: String) throws -> Date {
        guard let timestamp = try? Timestamp(parsing: text) else {
            throw KubeError.configuration("exec plugin expirationTimestamp \"\(text)\" is not RFC 3339")
        }
        return Date(timeIntervalSince1970: Double(timestamp.millisecondsSinceEpoch) / 1000)
    }
}

struct ExecCredential: Decodable {
    struct Status: Decodable {
        var token: String?
        var expirationTimestamp: String?
    }
    var apiVersion: String?
    var kind: String?
    var status: Status?
}

/// Reads the bearer token for a request. A token file is re-read at most once a minute (the
/// kubelet rewrites service account tokens well before they expire; client-go re-reads on the
/// same cadence). After a 401 the cache is dropped so the next call reads afresh.
actor BearerTokenSource {
    private let credentials: Credentials
    private var fileCache: (token: String, readAt: ContinuousClock.Instant)?

    init(_ credentials: Credentials) { self.credentials = credentials }

    func token() async throws -> String? {
        switch credentials {
        case .none: return nil
        case .token(let token): return token
        case .exec(let plugin): return try await plugin.token()
        case .tokenFile(let path):
            let now = ContinuousClock.now
            if let fileCache, now - fileCache.readAt < .seconds(60) { return fileCache.token }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError.configuration("cannot read token file \(path)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
            fileCache = (token, now)
            return token
        }
    }

    func invalidate() async {
        fileCache = nil
        if case .exec(let plugin) = credentials { await plugin.invalidate() }
    }

    var canRefresh: Bool {
        switch credentials {
        case .tokenFile, .exec: true
        case .none, .token: false
        }
    }
}
