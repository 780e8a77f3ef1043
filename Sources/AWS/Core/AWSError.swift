import HTTP

/// Every failure of an AWS call, whichever wire protocol the service speaks. Never carries
/// request headers or credentials; the message is AWS's own (it names resources, not secrets).
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// AWS (or the emulator) answered with an error response.
        case service
        /// No response: connection refused or lost, timeout, TLS.
        case transport(HTTPError)
        /// A response that could not be read (not XML/JSON, missing fields).
        case malformedResponse
        /// Credentials could not be found or obtained.
        case credentials
        /// The request could not be built (bad region, endpoint, parameter).
        case invalidRequest
    }

    public var kind: Kind
    public var service: String
    public var operation: String
    /// AWS's error code (`ParameterNotFound`, `Throttling`, …), or a Lifeboat code for local failures.
    public var code: String
    public var message: String
    public var requestID: String?
    /// 0 when there was no HTTP response.
    public var httpStatus: Int
    /// What to do about it, when Lifeboat can say.
    public var hint: String?

    public init(kind: Kind = .service, service: String, operation: String, code: String, message: String,
                requestID: String? = nil, httpStatus: Int = 0, hint: String? = nil) {
        self.kind = kind
        self.service = service
        self.operation = operation
        self.code = code
        self.message = message
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.hint = hint
    }

    /// Whether the standard retry mode retries this error (throttling, 5xx, transient transport).
    public var isRetryable: Bool { RetryClassifier.classify(self) != .permanent }
    public var isThrottling: Bool { RetryClassifier.classify(self) == .throttling }

    public var description: String {
        var text = "\(service):\(operation) failed: \(code)"
        if !message.isEmpty { text += ": \(message)" }
        if httpStatus > 0 { text += " (HTTP \(httpStatus)" + (requestID.map { ", request id \($0)" } ?? "") + ")" }
        if let hint { text += "; \(hint)" }
        return text
    }
}
