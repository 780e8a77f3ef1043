import TestSupport
import Foundation
import Testing
@testable import HTTP

@Suite struct HTTPStreamingTests {
    let client = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none))

    @Test func streamsLinesUntilTheBodyEnds() async throws {
        let server = try Servers.plain()
        let response = try await client.stream(HTTPRequest(url: server.baseURL + "/stream?chunks=5&interval_ms=1",
                                                           timeouts: HTTPTimeouts(total: nil)))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/x-ndjson")
        var lines: [String] = []
        for try await line in response.body.lines { lines.append(String(decoding: line, as: UTF8.self)) }
        #expect(lines == (0..<5).map { "chunk \($0)" })
    }

    @Test func headArrivesBeforeTheBodyEnds() async throws {
        // An endless stream: `stream` must return with the head while the body is still coming.
        let server = try Servers.plain()
        let response = try await client.stream(HTTPRequest(url: server.baseURL + "/stream?chunks=0&interval_ms=5",
                                                           timeouts: HTTPTimeouts(total: nil)))
        var iterator = response.body.lines.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first.map { String(decoding: $0, as: UTF8.self) } == "chunk 0")
    }

    @Test func cancellingALongLivedStreamClosesTheConnection() async throws {
        let server = try Servers.plain()
        let closedBefore = try (server.control("GET", "/stats") as? [String: Any])?["streams_closed"] as? Int ?? 0
        let reader = Task {
            let response = try await client.stream(HTTPRequest(url: server.baseURL + "/stream?chunks=0&interval_ms=10",
                                                               timeouts: HTTPTimeouts(total: nil)))
            var count = 0
            for try await _ in response.body.lines {
                count += 1
                if count == 3 { break }  // leaving the loop drops the stream
            }
            return count
        }
        #expect(try await reader.value == 3)
        #expect(try eventuallyBlocking {
            ((try server.control("GET", "/stats") as? [String: Any])?["streams_closed"] as? Int ?? 0) > closedBefore
        }, "the server saw the stream end")
    }

    @Test func taskCancellationEndsIterationWithCancellationError() async throws {
        let server = try Servers.plain()
        let started = AsyncStream<Void>.makeStream()
        let reader = Task {
            let response = try await client.stream(HTTPRequest(url: server.baseURL + "/stream?chunks=0&interval_ms=10",
                                                               timeouts: HTTPTimeouts(total: nil)))
            var count = 0
            for try await _ in response.body {
                count += 1
                if count == 1 { started.continuation.yield() }
            }
            return count
        }
        var signal = started.stream.makeAsyncIterator()
        await signal.next()
        reader.cancel()
        await #expect(throws: CancellationError.self) { try await reader.value }
    }

    @Test func streamingErrorStatusStillDeliversTheBody() async throws {
        let server = try Servers.plain()
        let response = try await client.stream(HTTPRequest(url: server.baseURL + "/status/410"))
        #expect(response.status == 410)
        #expect(String(decoding: try await response.body.collect(), as: UTF8.self) == "status 410")
    }
}
