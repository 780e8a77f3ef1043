#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import HTTP
import Logging
import Synchronization

/// `/metrics`, `/healthz` and `/readyz` over plain POSIX sockets (no client library involved:
/// this is a server). One thread blocks in `accept` (idle costs no CPU); each connection gets a
/// short-lived thread, at most `maxConnections` at once. A request head larger than
/// `maxRequestBytes` gets 431 and a client that does not finish it within `readTimeout` gets 408,
/// so a slow or hostile client cannot hold a probe thread.
public final class ProbeServer: Sendable {
    public struct Options: Sendable {
        /// "0.0.0.0" in a pod (kubelet probes the pod IP); "127.0.0.1" in tests.
        public var host: String
        /// 0 picks a free port (tests); read the bound one from `port`.
        public var port: UInt16
        public var maxRequestBytes: Int
        public var readTimeout: Duration
        public var maxConnections: Int

        public init(host: String = "0.0.0.0", port: UInt16 = 8081, maxRequestBytes: Int = 8192,
                    readTimeout: Duration = .seconds(5), maxConnections: Int = 16) {
            self.host = host
            self.port = port
            self.maxRequestBytes = maxRequestBytes
            self.readTimeout = readTimeout
            self.maxConnections = maxConnections
        }
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The bound port.
    public let port: UInt16
    private let listener: Int32
    private let options: Options
    private let router: ProbeRouter
    private let logger: Logger
    private let connections = Mutex(0)
    private let stopped = Mutex(false)

    /// Binds and starts serving at once, so the port is known when this returns.
    public init(options: Options = Options(), registry: MetricsRegistry, logger: Logger = .disabled,
                healthy: @escaping @Sendable () -> Bool = { true }, ready: @escaping @Sendable () -> Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = options.port.bigEndian
        guard inet_pton(AF_INET, options.host, &address.sin_addr) == 1 else {
            close(fd)
            throw StartError(description: "not an IPv4 address: \(options.host)")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw StartError(description: "cannot listen on \(options.host):\(options.port): \(message)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: address.sin_port)
        self.listener = fd
        self.options = options
        self.router = ProbeRouter(registry: registry, healthy: healthy, ready: ready)
        self.logger = logger
        DetachedThread.start { [self] in acceptLoop() }
        logger.info("serving probes and metrics", ["port": .int(Int(port))])
    }

    /// Stops accepting; connections in flight finish (each is bounded by the read timeout).
    public func stop() {
        let first = stopped.withLock { wasStopped in
            defer { wasStopped = true }
            return !wasStopped
        }
        guard first else { return }
        // shutdown wakes the thread blocked in accept; close alone would not on Linux.
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if stopped.withLock({ $0 }) { break }
                if errno == EMFILE || errno == ENFILE { continue }
                break
            }
            let admitted = connections.withLock { count in
                guard count < options.maxConnections else { return false }
                count += 1
                return true
            }
            guard admitted else {
                // Over the cap: hang up at once rather than let the accept thread wait on a client.
                close(client)
                continue
            }
            DetachedThread.start { [self] in
                serve(client)
                connections.withLock { $0 -= 1 }
            }
        }
        close(listener)
    }

    private func serve(_ client: Int32) {
        let seconds = Monotonic.seconds(options.readTimeout)
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        let deadline = Monotonic.now + seconds
        while true {
            // SO_RCVTIMEO bounds each read; the deadline bounds a client that trickles bytes.
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) || Monotonic.now > deadline {
                reply(client, ProbeRouter.Response(status: 408, body: "request timeout\n"))
                return
            }
            if n <= 0 { close(client); return }
            head += chunk[0..<n]
            if let end = head.firstRange(of: terminator) {
                reply(client, router.respond(head: String(decoding: head[..<end.lowerBound], as: UTF8.self)))
                return
            }
            if head.count >= options.maxRequestBytes {
                reply(client, ProbeRouter.Response(status: 431, body: "request too large\n"))
                return
            }
        }
    }

    private func reply(_ client: Int32, _ response: ProbeRouter.Response) {
        let bytes = response.bytes
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a client that hung up must not kill the process with SIGPIPE.
            let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            sent += n
        }
        // Closing with unread request bytes would send a reset that can destroy the response
        // before the client reads it (after a 431, say): half-close, drain a bounded amount, close.
        shutdown(client, Int32(SHUT_WR))
        var sink = [UInt8](repeating: 0, count: 4096)
        var drained = 0
        while drained < 1 << 16 {
            let n = sink.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            drained += n
        }
        close(client)
    }
}
