/// One request: a value, so it can be retried, signed or logged (without its body) freely.
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// An absolute http:// or https:// URL, already percent-encoded as it goes on the wire.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Overrides the client's timeouts for this request (a watch wants no total timeout).
    public var timeouts: HTTPTimeouts?
    /// Send it on a new connection, never a pooled one. libcurl silently sends a request again
    /// when a reused connection closes before any answer — right for a read, wrong for a call
    /// that must not be repeated, whose answer may only have been lost after the server acted.
    public var freshConnection = false

    public init(method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
                timeouts: HTTPTimeouts? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

/// How long to wait. `total` nil means no limit (long-lived streams).
public struct HTTPTimeouts: Sendable, Hashable {
    public var connect: Duration
    public var total: Duration?

    public init(connect: Duration = .seconds(10), total: Duration? = .seconds(60)) {
        self.connect = connect
        self.total = total
    }

    var connectMilliseconds: Int { Self.milliseconds(connect) }
    var totalMilliseconds: Int { total.map(Self.milliseconds) ?? 0 }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
