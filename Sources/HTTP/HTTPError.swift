/// Why a request got no HTTP response. An HTTP error status is not an HTTPError: it is a response.
/// Messages carry the URL's host and libcurl's reason, never headers or bodies (they may hold secrets).
public enum HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidURL(String)
    case couldNotConnect(host: String, reason: String)
    case timedOut(host: String, reason: String)
    case tls(host: String, reason: String)
    /// The connection closed or broke mid-request: worth a retry for idempotent or signed calls.
    case connectionLost(host: String, reason: String)
    case responseTooLarge(limit: Int)
    case failed(code: Int, host: String, reason: String)

    /// Transient failures a retry may cure.
    public var isTransient: Bool {
        switch self {
        case .couldNotConnect, .timedOut, .connectionLost: true
        case .invalidURL, .tls, .responseTooLarge, .failed: false
        }
    }

    public var isTimeout: Bool { if case .timedOut = self { true } else { false } }

    /// Whether the server may have received the request (and acted on it) although no answer
    /// came: the connection broke after it was made, or the answer took too long. Not when no
    /// connection was ever made.
    public var mayHaveReachedServer: Bool {
        switch self {
        case .connectionLost: true
        case .timedOut(_, let reason): !(reason.hasPrefix("Connection timed out") || reason.hasPrefix("Failed to connect"))
        case .invalidURL, .couldNotConnect, .tls, .responseTooLarge, .failed: false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL \"\(url)\": use an absolute http:// or https:// URL"
        case .couldNotConnect(let host, let reason): "could not connect to \(host): \(reason)"
        case .timedOut(let host, let reason): "request to \(host) timed out: \(reason)"
        case .tls(let host, let reason):
            "TLS with \(host) failed: \(reason) (check the CA bundle, or the client certificate and key)"
        case .connectionLost(let host, let reason): "connection to \(host) was lost: \(reason)"
        case .responseTooLarge(let limit): "response body is larger than \(limit) bytes"
        case .failed(let code, let host, let reason): "request to \(host) failed (curl error \(code)): \(reason)"
        }
    }
}
