/// An HTTP client on libcurl. Cheap to create: every client shares one event loop and one
/// connection cache (see `CurlMultiLoop`); a client only carries its settings (TLS, proxy,
/// timeouts). Task cancellation cancels the transfer.
public struct HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let loop = CurlMultiLoop.shared

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    /// Sends a request and buffers the whole response. Throws `HTTPError` when no response
    /// arrived, `CancellationError` when the task was cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await submit(request, id: loop.makeID()) { .buffered($0) }
    }

    /// Sends a request and returns as soon as the status and headers arrive; the body follows
    /// as an async sequence of chunks. Meant for long-lived responses (a watch): give the request
    /// `HTTPTimeouts(total: nil)`. Ending the iteration early, or cancelling it, ends the transfer.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let id = loop.makeID()
        let loop = self.loop
        let (stream, body) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        body.onTermination = { termination in
            if case .cancelled = termination { loop.submit(.cancel(id)) }
        }
        return try await submit(request, id: id) { .streaming(head: $0, body: body, stream: stream) }
    }

    /// Hands a transfer to the loop and waits for its result. A cancellation that arrives before
    /// the transfer reached the loop is caught by the `Task.isCancelled` check after submitting
    /// (the mailbox keeps the add before the cancel).
    private func submit<Result: Sendable>(
        _ request: HTTPRequest, id: UInt64,
        _ delivery: (CheckedContinuation<Result, any Error>) -> CurlTransfer.Delivery
    ) async throws -> Result {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                do {
                    let transfer = try CurlTransfer(id: id, request: request, configuration: configuration,
                                                    delivery: delivery(continuation))
                    loop.submit(.add(transfer))
                    if Task.isCancelled { loop.submit(.cancel(id)) }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            loop.submit(.cancel(id))
        }
    }
}
