import Foundation
import Testing
@testable import HTTP

@Suite struct HTTPClientTests {
    let client = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none))

    @Test func sendsMethodHeadersAndBody() async throws {
        let server = try Servers.plain()
        let response = try await client.send(HTTPRequest(method: .put, url: server.baseURL + "/echo?a=1",
                                                         headers: ["X-Test": "yes", "Content-Type": "text/plain"],
                                                         body: Array("hello".utf8)))
        #expect(response.status == 200)
        let echo = try Servers.json(response)
        #expect(echo["method"] as? String == "PUT")
        #expect(echo["path"] as? String == "/echo?a=1")
        #expect(echo["body"] as? String == "hello")
        let headers = (echo["headers"] as? [[String]] ?? []).map { ($0[0].lowercased(), $0[1]) }
        #expect(headers.contains { $0 == ("x-test", "yes") })
        #expect(!headers.contains { $0.0 == "expect" }, "no Expect: 100-continue round trip")
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test func errorStatusIsAResponseNotAnError() async throws {
        let server = try Servers.plain()
        let response = try await client.send(HTTPRequest(url: server.baseURL + "/status/503"))
        #expect(response.status == 503)
        #expect(response.text == "status 503")
        #expect(!response.isSuccess)
    }

    @Test func emptyPostAndHead() async throws {
        let server = try Servers.plain()
        let post = try await client.send(HTTPRequest(method: .post, url: server.baseURL + "/echo"))
        #expect(try Servers.json(post)["method"] as? String == "POST")
        let head = try await client.send(HTTPRequest(method: .head, url: server.baseURL + "/echo"))
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func reusesConnections() async throws {
        let server = try Servers.plain()
        // Concurrent tests may take a cached connection in between, but not every time.
        var ports: [Int] = []
        for _ in 0..<5 {
            ports.append(try Servers.json(await client.send(HTTPRequest(url: server.baseURL + "/echo")))["client_port"] as? Int ?? 0)
        }
        #expect(Set(ports).count < 5, "keep-alive connections are reused: \(ports)")
    }

    @Test func totalTimeoutIsAnHTTPErrorNamingTheHost() async throws {
        let server = try Servers.plain()
        let request = HTTPRequest(url: server.baseURL + "/slow?ms=3000", timeouts: HTTPTimeouts(total: .milliseconds(200)))
        do {
            _ = try await client.send(request)
            Issue.record("expected a timeout")
        } catch let error as HTTPError {
            #expect(error.isTimeout && error.isTransient)
            #expect(error.description.contains("127.0.0.1:\(server.port)"))
        }
    }

    @Test func refusedConnectionIsTransient() async throws {
        // Port 9 (discard) on loopback has no listener here.
        await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: "http://127.0.0.1:9/")) }
        do { _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:9/")) } catch let error as HTTPError {
            guard case .couldNotConnect = error else { Issue.record("got \(error)"); return }
            #expect(error.isTransient)
        }
    }

    @Test func droppedConnectionIsConnectionLost() async throws {
        let server = try Servers.plain()
        do {
            _ = try await client.send(HTTPRequest(url: server.baseURL + "/drop"))
            Issue.record("expected an error")
        } catch let error as HTTPError {
            guard case .connectionLost = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func invalidURLIsRejectedWithoutCrashing() async throws {
        await #expect(throws: HTTPError.invalidURL("ftp://example.com/")) {
            try await client.send(HTTPRequest(url: "ftp://example.com/"))
        }
    }

    @Test func oversizedBufferedBodyFails() async throws {
        let server = try Servers.plain()
        let small = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none, maxResponseBytes: 1000))
        await #expect(throws: HTTPError.responseTooLarge(limit: 1000)) {
            try await small.send(HTTPRequest(url: server.baseURL + "/large?bytes=5000"))
        }
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let server = try Servers.plain()
        let task = Task { try await client.send(HTTPRequest(url: server.baseURL + "/slow?ms=20000")) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func manyConcurrentRequests() async throws {
        let server = try Servers.plain()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask { try await client.send(HTTPRequest(url: server.baseURL + "/status/\(200 + index % 2)")).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 40)
        #expect(statuses.filter { $0 == 201 }.count == 20)
    }
}

@Suite struct HTTPHeadersTests {
    @Test func namesCompareCaseInsensitively() {
        var headers: HTTPHeaders = ["Content-Type": "a", "X-Amz-Date": "b"]
        #expect(headers["content-type"] == "a" && headers["X-AMZ-DATE"] == "b")
        #expect(headers["Content-Typf"] == nil && headers["Content_Type"] == nil && headers["Content-Typ"] == nil)
        headers.add("x-amz-date", "c")
        #expect(headers.values("X-Amz-Date") == ["b", "c"])
        headers["X-AMZ-DATE"] = "d"
        #expect(headers.values("x-amz-date") == ["d"] && headers.count == 2)
        headers.remove("CONTENT-TYPE")
        #expect(!headers.contains("content-type"))
        #expect(!HTTPHeaders.sameName("a[", "A{"), "only letters fold")
    }
}
