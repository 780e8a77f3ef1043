/// The pure half of the probe server: a request head in, a response out. `/metrics` serves the
/// registry in the Prometheus text format, `/healthz` and `/readyz` answer "ok" or 503 from
/// their closures (kubelet only looks at the status code). Only GET is served: probes and
/// scrapers never send anything else, so a body never needs reading.
struct ProbeRouter: Sendable {
    struct Response: Sendable, Equatable {
        var status: Int
        var body: String
        var contentType = "text/plain; charset=utf-8"
        var allow: String?

        var bytes: [UInt8] {
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: \(contentType)\r\n"
            head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            if let allow { head += "Allow: \(allow)\r\n" }
            return Array((head + "\r\n" + body).utf8)
        }

        static func reason(_ status: Int) -> String {
            switch status {
            case 200: "OK"
            case 400: "Bad Request"
            case 404: "Not Found"
            case 405: "Method Not Allowed"
            case 408: "Request Timeout"
            case 431: "Request Header Fields Too Large"
            case 503: "Service Unavailable"
            default: "Status"
            }
        }
    }

    let registry: MetricsRegistry
    let healthy: @Sendable () -> Bool
    let ready: @Sendable () -> Bool

    /// `head` is the request line and headers (without the blank line).
    func respond(head: String) -> Response {
        // `isNewline`, because "\r\n" is one Character in Swift.
        let requestLine = head.prefix { !$0.isNewline }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else {
            return Response(status: 400, body: "bad request\n")
        }
        let path = parts[1].prefix { $0 != "?" }
        guard ["/metrics", "/healthz", "/readyz"].contains(path) else { return Response(status: 404, body: "not found\n") }
        guard parts[0] == "GET" else { return Response(status: 405, body: "method not allowed\n", allow: "GET") }
        switch path {
        case "/metrics":
            return Response(status: 200, body: registry.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case "/healthz":
            return healthy() ? Response(status: 200, body: "ok\n") : Response(status: 503, body: "unhealthy\n")
        default:
            return ready() ? Response(status: 200, body: "ok\n") : Response(status: 503, body: "not ready\n")
        }
    }
}
