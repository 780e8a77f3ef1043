/// The `Status` object the API server sends with every failure (and some successes, such as a
/// DELETE of an object without finalizers). Shapes follow the kube-apiserver transcripts.
public struct KubeStatus: Codable, Sendable, Hashable {
    public struct Details: Codable, Sendable, Hashable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?
    }

    public struct Cause: Codable, Sendable, Hashable {
        public var reason: String?
        public var message: String?
        public var field: String?
    }

    public var kind: String?
    public var apiVersion: String?
    public var status: String?
    public var message: String?
    public var reason: String?
    public var details: Details?
    public var code: Int?

    public init(code: Int, reason: String?, message: String?) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.status = "Failure"
        self.code = code
        self.reason = reason
        self.message = message
    }
}

/// Every failure of a Kubernetes call: a `Status` from the server, or no usable answer at all.
/// Callers switch on `reason` (as client-go's `apierrors.IsNotFound` etc.) rather than on codes.
public enum KubeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered with an error status. `status` is the body's Status, or one synthesised
    /// from the HTTP code when the body was not a Status (a proxy's HTML page).
    case api(KubeStatus)
    /// No HTTP response (connection refused, TLS, timeout): the transport's message.
    case transport(String)
    /// A response that should have decoded but did not.
    case decoding(String)
    /// The client could not be configured (kubeconfig, credentials).
    case configuration(String)

    public enum Reason: String, Sendable {
        case notFound = "NotFound", alreadyExists = "AlreadyExists", conflict = "Conflict", invalid = "Invalid"
        case badRequest = "BadRequest", unauthorized = "Unauthorized", forbidden = "Forbidden"
        case expired = "Expired", gone = "Gone", tooManyRequests = "TooManyRequests", timeout = "Timeout"
        case serverTimeout = "ServerTimeout", methodNotAllowed = "MethodNotAllowed"
        case unsupportedMediaType = "UnsupportedMediaType", internalError = "InternalError"
        case serviceUnavailable = "ServiceUnavailable", requestEntityTooLarge = "RequestEntityTooLarge"
        case unknown = ""
    }

    public var status: KubeStatus? { if case .api(let status) = self { status } else { nil } }
    public var code: Int? { status?.code }

    /// The reason, falling back on the HTTP code as client-go's `ReasonForError` does when a
    /// server (or proxy) left it out.
    public var reason: Reason {
        guard let status else { return .unknown }
        if let raw = status.reason, let reason = Reason(rawValue: raw) { return reason }
        switch status.code {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 409: return .conflict
        case 410: return .expired
        case 413: return .requestEntityTooLarge
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 500: return .internalError
        case 503: return .serviceUnavailable
        case 504: return .timeout
        default: return .unknown
        }
    }

    public var isNotFound: Bool { reason == .notFound }
    public var isAlreadyExists: Bool { reason == .alreadyExists }
    public var isConflict: Bool { reason == .conflict }
    public var isInvalid: Bool { reason == .invalid }
    /// 410: the resourceVersion (watch, list, continue token) is older than the server's history.
    public var isExpired: Bool { reason == .expired || reason == .gone || code == 410 }
    public var causes: [KubeStatus.Cause] { status?.details?.causes ?? [] }

    public var description: String {
        switch self {
        case .api(let status):
            "\(status.code.map(String.init) ?? "?") \(status.reason ?? ""): \(status.message ?? "(no message)")"
        case .transport(let message): "no response from the API server: \(message)"
        case .decoding(let message): "could not decode the API server's response: \(message)"
        case .configuration(let message): "Kubernetes client configuration: \(message)"
        }
    }

    /// The error for a non-2xx response: its Status body if it has one.
    static func fromResponse(code: Int, body: [UInt8]) -> KubeError {
        if var status = try? KubeJSON.decode(KubeStatus.self, from: body), status.kind == "Status" {
            if status.code == nil { status.code = code }
            return .api(status)
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return .api(KubeStatus(code: code, reason: nil, message: text.isEmpty ? "HTTP \(code)" : text))
    }
}
