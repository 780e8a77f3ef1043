/// Which failures the standard retry mode retries (botocore's `standard` lists).
public enum RetryClassifier {
    public enum Verdict: Sendable, Hashable {
        case throttling, transient, timeout, permanent
    }

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError", "IDPCommunicationError",
    ]
    static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    public static func classify(_ error: AWSError) -> Verdict {
        switch error.kind {
        case .transport(let http):
            if http.isTimeout { return .timeout }
            return http.isTransient ? .transient : .permanent
        case .credentials, .invalidRequest:
            return .permanent
        case .service, .malformedResponse:
            if throttlingCodes.contains(error.code) || error.httpStatus == 429 { return .throttling }
            if transientCodes.contains(error.code) || transientStatuses.contains(error.httpStatus) { return .transient }
            return .permanent
        }
    }
}
