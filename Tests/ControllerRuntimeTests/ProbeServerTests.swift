import Foundation
import HTTP
import Synchronization
import Testing
@testable import ControllerRuntime

/// The probe server over a real loopback socket, asked by the project's libcurl HTTPClient.
@Suite struct ProbeServerTests {
    let registry = MetricsRegistry()
    let readiness = Readiness()
    let server: ProbeServer
    let http = HTTPClient()

    init() throws {
        let readiness = readiness
        server = try ProbeServer(options: .init(host: "127.0.0.1", port: 0, maxRequestBytes: 1024,
                                                readTimeout: .milliseconds(300)),
                                 registry: registry, ready: { readiness.isReady })
    }

    func get(_ path: String, method: HTTPMethod = .get, headers: HTTPHeaders = [:]) async throws -> HTTPResponse {
        try await http.send(HTTPRequest(method: method, url: "http://127.0.0.1:\(server.port)\(path)", headers: headers))
    }

    @Test func servesMetricsHealthAndReadiness() async throws {
        defer { server.stop() }
        #expect(server.port != 0)
        ControllerMetrics(registry: registry, controller: "plans").errors.increment()
        let metrics = try await get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(metrics.text.contains("controller_runtime_reconcile_errors_total{controller=\"plans\"} 1"))
        #expect(try await get("/healthz").status == 200)
        #expect(try await get("/readyz").status == 503)
        readiness.isReady = true
        let ready = try await get("/readyz?verbose")
        #expect(ready.status == 200 && ready.text == "ok\n")
    }

    @Test func refusesOtherPathsMethodsAndOversizedRequests() async throws {
        defer { server.stop() }
        #expect(try await get("/nope").status == 404)
        let post = try await get("/metrics", method: .post)
        #expect(post.status == 405 && post.headers["allow"] == "GET")
        let big = try await get("/healthz", headers: ["X-Filler": String(repeating: "x", count: 4096)])
        #expect(big.status == 431)
    }

    @Test func aClientThatNeverFinishesItsRequestTimesOut() throws {
        defer { server.stop() }
        // A raw socket, because a real client always finishes its request: half a head, then silence.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = server.port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        let partial = Array("GET /healthz HTTP/1.1\r\n".utf8)
        _ = partial.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {  // blocks until the server answers and closes (bounded by its read timeout)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            reply += buffer[0..<n]
        }
        #expect(String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.1 408 "))
    }

    @Test func routerAnswersMalformedRequestsWith400() {
        let router = ProbeRouter(registry: registry, healthy: { false }, ready: { true })
        #expect(router.respond(head: "garbage").status == 400)
        #expect(router.respond(head: "GET /healthz HTTP/1.1\r\nHost: x").status == 503)
        #expect(router.respond(head: "DELETE /readyz HTTP/1.1").allow == "GET")
    }
}

final class Readiness: Sendable {
    private let flag = Mutex(false)
    var isReady: Bool {
        get { flag.withLock { $0 } }
        set { flag.withLock { $0 = newValue } }
    }
}
