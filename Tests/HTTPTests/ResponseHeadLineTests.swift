import Foundation
import Testing
@testable import HTTP

/// The response head as the header callback reads it, line by line, and what a recycled easy
/// handle carries over from the request before (nothing).
@Suite struct ResponseHeadLineTests {
    func line(_ text: String) -> ResponseHeadLine { line(Array(text.utf8)) }
    func line(_ bytes: [UInt8]) -> ResponseHeadLine { bytes.withUnsafeBytes { ResponseHeadLine($0) } }

    @Test func statusLines() {
        #expect(line("HTTP/1.1 200 OK\r\n") == .status(200))
        #expect(line("HTTP/1.1 100 Continue\r\n") == .status(100))
        #expect(line("HTTP/2 204\r\n") == .status(204))
        #expect(line("HTTP/1.1   404   Not  Found\r\n") == .status(404), "runs of spaces separate the words")
        #expect(line("HTTP/1.1 +201 Created\n") == .status(201), "what Int(\"+201\") reads")
        #expect(line("HTTP/1.1 2OO OK\r\n") == .status(0))
        #expect(line("HTTP/1.1\r\n") == .status(0))
    }

    @Test func fieldsAndTheEnd() {
        #expect(line("\r\n") == .end)
        #expect(line("\n") == .end)
        #expect(line("Content-Type: application/json\r\n") == .field(name: "Content-Type", value: "application/json"))
        #expect(line("X-A:\t  spaced value \r\n") == .field(name: "X-A", value: "spaced value "), "blanks before the value only")
        #expect(line("Location: http://h:8080/x\r\n") == .field(name: "Location", value: "http://h:8080/x"), "split at the first colon")
        #expect(line("X-Empty:\r\n") == .field(name: "X-Empty", value: ""))
        #expect(line("X-Utf8: grüße\r\n") == .field(name: "X-Utf8", value: "grüße"))
        #expect(line([0x58, 0x3A, 0x20, 0xFF, 0x0D, 0x0A]) == .field(name: "X", value: "\u{FFFD}"), "not UTF-8: replaced")
        #expect(line("no colon here\r\n") == .other)
    }

    @Test func aRecycledEasyHandleCarriesNothingOfTheRequestBefore() async throws {
        let server = try Servers.plain()
        let client = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none))
        var fresh = HTTPRequest(method: .post, url: server.baseURL + "/echo", headers: ["X-Before": "1"], body: Array("body".utf8),
                                timeouts: HTTPTimeouts(total: .seconds(30)))
        fresh.freshConnection = true
        let first = try Servers.json(await client.send(fresh))
        #expect(first["method"] as? String == "POST" && first["body"] as? String == "body")

        // Sequential requests, each on a handle an earlier one gave back.
        var ports: [Int] = []
        for _ in 0..<5 {
            let echo = try Servers.json(await client.send(HTTPRequest(url: server.baseURL + "/echo")))
            #expect(echo["method"] as? String == "GET" && echo["body"] as? String == "")
            let names = (echo["headers"] as? [[String]] ?? []).map { $0[0].lowercased() }
            #expect(!names.contains("x-before") && !names.contains("content-length"))
            ports.append(echo["client_port"] as? Int ?? 0)
        }
        #expect(Set(ports).count < 5, "no longer forced onto fresh connections: \(ports)")
        let again = try Servers.json(await client.send(fresh))
        #expect(!ports.contains(again["client_port"] as? Int ?? 0), "a fresh connection still is one")
    }
}
