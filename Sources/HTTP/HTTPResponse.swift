/// A complete response, body buffered.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    /// The body as UTF-8 text (invalid bytes replaced), for messages and tests.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A response whose body arrives as it is received: a Kubernetes watch, a large download.
/// Dropping the body sequence (or cancelling the task iterating it) ends the transfer.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPBodyStream
}
