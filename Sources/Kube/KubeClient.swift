import HTTP
import Logging

/// Sees every request's outcome, so the runtime can keep `rest_client_*` metrics without this
/// target knowing about metrics.
public protocol RequestObserver: Sendable {
    /// `code` is the HTTP status, or nil when no response arrived.
    func requestFinished(method: String, host: String, code: Int?, seconds: Double)
}

/// The connection to one API server: authentication, rate limiting and retries. Typed access
/// goes through `Api<T>`; this type deals in paths and bytes. Cheap to share (a struct of refs).
public struct KubeClient: Sendable {
    public let configuration: ClientConfiguration
    let http: HTTPClient
    let limiter: RateLimiter
    let tokens: BearerTokenSource
    let logger: Logger
    let observer: (any RequestObserver)?
    let host: String

    public init(configuration: ClientConfiguration, logger: Logger = .disabled, observer: (any RequestObserver)? = nil) {
        self.configuration = configuration
        self.http = HTTPClient(configuration: HTTPClientConfiguration(
            tls: configuration.tls, proxy: .none, timeouts: configuration.timeouts, userAgent: configuration.userAgent))
        self.limiter = RateLimiter(qps: configuration.qps, burst: configuration.burst)
        self.tokens = BearerTokenSource(configuration.credentials)
        self.logger = logger
        self.observer = observer
        let afterScheme = configuration.server.split(separator: "://", maxSplits: 1).last.map(String.init) ?? ""
        self.host = String(afterScheme.prefix { $0 != "/" })
    }

    /// A typed handle on one resource, in one namespace or (nil) all namespaces / cluster scope.
    public func api<T: KubeObject>(_ type: T.Type = T.self, _ resource: Resource, namespace: String?) -> Api<T> {
        Api(client: self, resource: resource, namespace: namespace)
    }

    /// Sends a request and returns the body of a 2xx response, or throws `KubeError`.
    /// Reads (GET) are retried on 429, 5xx and lost connections, honouring Retry-After; writes
    /// are sent once, because repeating a POST or a PATCH blindly can apply it twice.
    public func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8] = [],
                     contentType: String? = nil) async throws -> [UInt8] {
        let safe = method == .get
        var attempt = 0
        var refreshedToken = false
        while true {
            attempt += 1
            let request = try await makeRequest(method, path, query: query, body: body, contentType: contentType)
            let start = ContinuousClock.now
            let response: HTTPResponse
            do {
                response = try await http.send(request)
            } catch let error as HTTPError {
                observe(method, code: nil, since: start)
                if safe, error.isTransient, attempt < configuration.maxAttempts {
                    try await Task.sleep(for: Self.backoff(attempt: attempt))
                    continue
                }
                throw KubeError.transport(error.description)
            }
            observe(method, code: response.status, since: start)
            if response.isSuccess { return response.body }
            if response.status == 401, !refreshedToken, await tokens.canRefresh {
                // A rotated service account token or an expired exec credential: read it afresh once.
                refreshedToken = true
                await tokens.invalidate()
                continue
            }
            let retryable = response.status == 429 || (500...599).contains(response.status)
            if safe, retryable, attempt < configuration.maxAttempts {
                let delay = Self.retryAfter(response.headers["retry-after"]) ?? Self.backoff(attempt: attempt)
                logger.debug("retrying a Kubernetes read", ["path": .string(path), "status": .int(response.status),
                                                            "attempt": .int(attempt)])
                try await Task.sleep(for: delay)
                continue
            }
            throw KubeError.fromResponse(code: response.status, body: response.body)
        }
    }

    /// Opens a long-lived stream (a watch). A non-2xx answer is read whole and thrown as its Status.
    func stream(_ path: String, query: [(String, String)]) async throws -> HTTPStreamingResponse {
        let request = try await makeRequest(.get, path, query: query, body: [], contentType: nil, streaming: true)
        let start = ContinuousClock.now
        let response: HTTPStreamingResponse
        do { response = try await http.stream(request) } catch let error as HTTPError {
            observe(.get, code: nil, since: start)
            throw KubeError.transport(error.description)
        }
        observe(.get, code: response.status, since: start)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body.collect(limit: 1 << 20)) ?? []
            if response.status == 401 { await tokens.invalidate() }
            throw KubeError.fromResponse(code: response.status, body: body)
        }
        return response
    }

    private func makeRequest(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: [UInt8],
                             contentType: String?, streaming: Bool = false) async throws -> HTTPRequest {
        try await limiter.acquire()
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let contentType { headers["Content-Type"] = contentType }
        if let token = try await tokens.token() { headers["Authorization"] = "Bearer \(token)" }
        return HTTPRequest(method: method, url: configuration.server + path + PercentEncoding.query(query),
                           headers: headers, body: body,
                           timeouts: streaming ? HTTPTimeouts(connect: configuration.timeouts.connect, total: nil) : nil)
    }

    private func observe(_ method: HTTPMethod, code: Int?, since start: ContinuousClock.Instant) {
        guard let observer else { return }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        observer.requestFinished(method: method.rawValue, host: host, code: code, seconds: seconds)
    }

    /// 200 ms, 400 ms, … capped at 5 s: client-go's default for retried reads is similar.
    static func backoff(attempt: Int) -> Duration { .milliseconds(min(5_000, 200 << min(attempt - 1, 5))) }

    /// Retry-After in seconds (the API server never sends an HTTP date), capped at a minute.
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.filter { !$0.isWhitespace }), seconds >= 0 else { return nil }
        return .seconds(min(seconds, 60))
    }
}
