import HTTP
import Logging
import YAML

/// Calls AWS: resolves the endpoint, signs with SigV4, sends over the shared HTTP client,
/// turns error responses into `AWSError`, and retries in the standard mode.
///
/// A value: `with(region:)` and `with(credentials:)` give clients for another region or
/// account that share the HTTP connections and the retry quota. Throws `AWSError`, or
/// `CancellationError` when the task is cancelled.
public struct AWSClient: Sendable {
    public let region: String
    public let credentials: any CredentialProvider
    public let http: HTTPClient
    public let endpoints: EndpointResolver
    public let retry: RetryConfiguration
    public let quota: RetryQuota
    public let logger: Logger
    /// Set on a client that may only read (the serving region in a drill): anything not in
    /// `ReadOnlyActions` is refused before it is signed or sent.
    public private(set) var restriction: ReadOnlyRestriction?
    let clock: @Sendable () -> AWSTimestamp.Seconds

    public init(region: String, credentials: any CredentialProvider,
                http: HTTPClient = HTTPClient(configuration: HTTPClientConfiguration(timeouts: AWSTimeouts.standard)),
                endpoints: EndpointResolver = EndpointResolver(), retry: RetryConfiguration = RetryConfiguration(),
                quota: RetryQuota = RetryQuota(), logger: Logger = .disabled,
                clock: @escaping @Sendable () -> AWSTimestamp.Seconds = AWSTimestamp.now) {
        self.region = region
        self.credentials = credentials
        self.http = http
        self.endpoints = endpoints
        self.retry = retry
        self.quota = quota
        self.logger = logger
        self.clock = clock
    }

    /// A restriction stays with the copy: a read-only client never becomes a writing one.
    public func with(region: String) -> AWSClient {
        var copy = AWSClient(region: region, credentials: credentials, http: http, endpoints: endpoints, retry: retry, quota: quota,
                             logger: logger, clock: clock)
        copy.restriction = restriction
        return copy
    }

    public func with(credentials: any CredentialProvider) -> AWSClient {
        var copy = AWSClient(region: region, credentials: credentials, http: http, endpoints: endpoints, retry: retry, quota: quota,
                             logger: logger, clock: clock)
        copy.restriction = restriction
        return copy
    }

    /// The same client, allowed only the actions `ReadOnlyActions` lists.
    public func readOnly(_ restriction: ReadOnlyRestriction) -> AWSClient {
        var copy = self
        copy.restriction = restriction
        return copy
    }

    // MARK: Protocol-level calls

    /// query or ec2 protocol; returns the root element of the response.
    public func query(_ service: AWSService, _ action: String, _ parameters: [(String, String)] = []) async throws -> AWSResponse {
        switch service.wireProtocol {
        case .query(let version), .ec2(let version):
            return try await send(service, .query(action, version: version, parameters))
        default:
            throw misuse(service, action, "query")
        }
    }

    /// json 1.0/1.1 protocol.
    public func json(_ service: AWSService, _ operation: String, _ input: JSONValue = [:]) async throws -> JSONValue {
        guard case .json(let version, let prefix) = service.wireProtocol else { throw misuse(service, operation, "json") }
        return try await send(service, .json(operation, version: version, targetPrefix: prefix, input)).json()
    }

    /// Sends one operation with retries.
    public func send(_ service: AWSService, _ operation: AWSOperation) async throws -> AWSResponse {
        if let restriction, !ReadOnlyActions.allows(service, operation.name) {
            logger.error("refused a write through a read-only client", ["service": .string(service.signingName),
                                                                          "operation": .string(operation.name), "region": .string(region)])
            throw restriction.refusal(service, operation.name, region: region)
        }
        let endpoint = try endpoints.endpoint(for: service, region: region)
        let path = endpoint.basePath + (operation.path.hasPrefix("/") ? operation.path : "/" + operation.path)
        let query = AWSURIEncoding.canonicalQuery(operation.query)
        let url = "\(endpoint.scheme)://\(endpoint.authority)\(path)" + (query.isEmpty ? "" : "?" + query)
        let signer = SigV4Signer(region: endpoint.signingRegion, service: service.signingName)
        // A call that changes something is never sent twice by this loop (nor by libcurl) once it
        // may have reached AWS: its answer may only have been lost after AWS acted. The caller
        // gets the transient error instead, and a module's idempotent `start` then finds what
        // the call did (docs/engine.md, "Crash safety"). Reads, and STS's credentials, are resent.
        let resendable = ReadOnlyActions.allows(service, operation.name) || service.endpointPrefix == "sts"
        var retriesCost = 0
        var attempt = 1
        var timeouts = 0
        while true {
            var request = SigV4Signer.Request(method: operation.method.rawValue, host: endpoint.hostHeader, path: path, query: query,
                                              headers: operation.headers, body: operation.body)
            request.headers["Host"] = endpoint.hostHeader
            if operation.isSigned {
                signer.sign(&request, credentials: try await resolveCredentials(service, operation.name), time: clock())
            }
            let error: AWSError
            do {
                var outgoing = HTTPRequest(method: operation.method, url: url, headers: request.headers, body: operation.body)
                outgoing.freshConnection = !resendable
                let response = try await http.send(outgoing)
                if response.isSuccess {
                    quota.succeeded(refund: retriesCost)
                    logger.debug("aws call", ["service": .string(service.signingName), "operation": .string(operation.name),
                                              "status": .int(response.status), "attempt": .int(attempt)])
                    return AWSResponse(service: service.signingName, operation: operation.name, status: response.status,
                                       headers: response.headers, body: response.body)
                }
                error = AWSErrorParser.parse(response, service: service, operation: operation.name)
            } catch let transport as HTTPError {
                error = AWSError(kind: .transport(transport), service: service.signingName, operation: operation.name,
                                 code: transport.isTimeout ? "RequestTimeout" : "ConnectionError", message: transport.description)
                if !resendable, transport.mayHaveReachedServer {
                    logger.info("aws call got no answer; not sending it again, as AWS may have acted on it",
                                ["service": .string(service.signingName), "operation": .string(operation.name),
                                 "code": .string(error.code), "attempt": .int(attempt)])
                    throw error
                }
            }
            let verdict = RetryClassifier.classify(error)
            if verdict == .timeout { timeouts += 1 }
            let cost = verdict == .timeout ? RetryQuota.timeoutRetryCost : RetryQuota.retryCost
            guard verdict != .permanent, attempt < retry.maxAttempts, timeouts < retry.timeoutAttempts, quota.acquire(cost) else {
                logger.debug("aws call failed", ["service": .string(service.signingName), "operation": .string(operation.name),
                                                 "code": .string(error.code), "attempt": .int(attempt)])
                throw Self.unanswered(error, endpoint: endpoint, timeouts: http.configuration.timeouts, attempts: attempt)
            }
            retriesCost += cost
            let delay = retry.delay(beforeRetry: attempt - 1)
            logger.info("retrying aws call", ["service": .string(service.signingName), "operation": .string(operation.name),
                                              "code": .string(error.code), "attempt": .int(attempt), "delay_s": .double(delay)])
            try await retry.sleep(delay)
            attempt += 1
        }
    }

    /// A call that got no response, said as what it is: which endpoint did not answer, and
    /// that it did not (not that credentials are wrong), with what to check.
    static func unanswered(_ error: AWSError, endpoint: AWSEndpoint, timeouts: HTTPTimeouts, attempts: Int) -> AWSError {
        guard case .transport(let transport) = error.kind else { return error }
        let origin = "\(endpoint.scheme)://\(endpoint.authority)"
        var described = error
        let tries = "\(attempts) attempt\(attempts == 1 ? "" : "s")"
        switch transport {
        case .timedOut(_, let reason) where reason.hasPrefix("Connection timed out") || reason.hasPrefix("Failed to connect"):
            described.message = "\(origin) did not accept a connection within \(AWSTimeouts.describe(timeouts.connect)) (\(tries))"
        case .timedOut:
            let limit = timeouts.total.map(AWSTimeouts.describe) ?? "the request timeout"
            described.message = "\(origin) did not answer within \(limit) (\(tries)): it accepted the connection but sent no response"
        case .couldNotConnect(_, let reason):
            described.message = "could not connect to \(origin) (\(tries)): \(reason)"
        default:
            return error
        }
        described.hint = "check that \(origin) is the AWS endpoint you mean (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) "
            + "and that the network path and any proxy to it work"
        return described
    }

    private func resolveCredentials(_ service: AWSService, _ operation: String) async throws -> AWSCredentials {
        do {
            return try await credentials.credentials()
        } catch let error as CredentialError where error.cause?.isRetryable == true {
            // Getting credentials failed the way any call can (a throttled or unavailable STS,
            // an endpoint that did not answer): as transient as that call, so it is retried.
            let cause = error.cause!
            throw AWSError(kind: cause.kind, service: service.signingName, operation: operation, code: cause.code,
                           message: error.message, requestID: cause.requestID, httpStatus: cause.httpStatus, hint: cause.hint)
        } catch let error as CredentialError {
            throw AWSError(kind: .credentials, service: service.signingName, operation: operation, code: "CredentialsUnavailable",
                           message: error.description,
                           hint: error.notConfigured ? "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with a role (IRSA, Pod Identity)" : nil)
        } catch let error as AWSError {
            throw error
        }
    }

    private func misuse(_ service: AWSService, _ operation: String, _ expected: String) -> AWSError {
        AWSError(kind: .invalidRequest, service: service.signingName, operation: operation, code: "WrongProtocol",
                 message: "\(service.signingName) does not speak the \(expected) protocol")
    }
}
