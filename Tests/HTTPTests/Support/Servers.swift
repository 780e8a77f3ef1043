import Foundation
@testable import HTTP

/// One instance of each fixture per test process, started on first use (tests run concurrently
/// and only read from them, or use their own routes).
enum Servers {
    static let plainResult = Result { try TestServer("testenv.http.http_fixture") }
    static let mutualTLSResult = Result { try TestServer("testenv.http.http_fixture", ["--require-client-cert"]) }
    static let proxyResult = Result { try TestServer("testenv.http.forward_proxy") }

    static func plain() throws -> TestServer { try plainResult.get() }
    static func mutualTLS() throws -> TestServer { try mutualTLSResult.get() }
    static func proxy() throws -> TestServer { try proxyResult.get() }

    static func json(_ response: HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

}
