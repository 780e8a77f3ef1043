import Foundation
import Testing
@testable import HTTP

@Suite struct HTTPTransportSettingsTests {
    @Test func tlsVerificationIsOnByDefault() async throws {
        let server = try Servers.mutualTLS()
        let client = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none))
        do {
            _ = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/echo"))
            Issue.record("a self-signed server must not be trusted")
        } catch let error as HTTPError {
            guard case .tls = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func customCAAndClientCertificateFromFiles() async throws {
        let server = try Servers.mutualTLS()
        let tls = TLSConfiguration(certificateAuthorities: .file(try #require(server.string("ca"))),
                                   clientCertificate: .file(try #require(server.string("client_cert"))),
                                   clientKey: .file(try #require(server.string("client_key"))))
        let client = HTTPClient(configuration: HTTPClientConfiguration(tls: tls, proxy: .none))
        let response = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/echo"))
        #expect(response.status == 200)
    }

    @Test func customCAAndClientCertificateFromMemory() async throws {
        let server = try Servers.mutualTLS()
        func bytes(_ key: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: try #require(server.string(key))))) }
        let tls = TLSConfiguration(certificateAuthorities: .bytes(try bytes("ca")),
                                   clientCertificate: .bytes(try bytes("client_cert")), clientKey: .bytes(try bytes("client_key")))
        #expect(!"\(tls.clientKey!)".contains("PRIVATE"), "a key never prints")
        let client = HTTPClient(configuration: HTTPClientConfiguration(tls: tls, proxy: .none))
        #expect(try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/echo")).status == 200)
    }

    @Test func mutualTLSWithoutClientCertificateFails() async throws {
        let server = try Servers.mutualTLS()
        let tls = TLSConfiguration(certificateAuthorities: .file(try #require(server.string("ca"))))
        let client = HTTPClient(configuration: HTTPClientConfiguration(tls: tls, proxy: .none))
        await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/echo")) }
    }

    @Test func proxyFromTheEnvironmentIsUsed() async throws {
        let server = try Servers.plain(), proxy = try Servers.proxy()
        let settings = ProxySettings.environment(["http_proxy": proxy.baseURL])
        let client = HTTPClient(configuration: HTTPClientConfiguration(proxy: settings))
        let before = try (proxy.control("GET", "/__proxy__/stats") as? [String: Any])?["proxied"] as? Int ?? 0
        let response = try await client.send(HTTPRequest(url: server.baseURL + "/echo"))
        #expect(response.status == 200)
        #expect(response.headers["via"] == "1.1 lifeboat-test-proxy")
        let after = try (proxy.control("GET", "/__proxy__/stats") as? [String: Any])?["proxied"] as? Int ?? 0
        #expect(after > before)
    }

    @Test func noProxyBypassesTheProxy() async throws {
        let server = try Servers.plain(), proxy = try Servers.proxy()
        let settings = ProxySettings.environment(["http_proxy": proxy.baseURL, "no_proxy": "localhost,127.0.0.1"])
        let client = HTTPClient(configuration: HTTPClientConfiguration(proxy: settings))
        let response = try await client.send(HTTPRequest(url: server.baseURL + "/echo"))
        #expect(response.headers["via"] == nil)
    }

    @Test func proxyEnvironmentRules() {
        let env = ["HTTP_PROXY": "http://ignored:1", "HTTPS_PROXY": "http://secure:3128", "NO_PROXY": ".internal"]
        let settings = ProxySettings.environment(env)
        #expect(settings.proxy(for: "http://example.com/") == "", "upper-case HTTP_PROXY is ignored (httpoxy)")
        #expect(settings.proxy(for: "https://example.com/") == "http://secure:3128")
        #expect(settings.noProxy == ".internal")
        #expect(ProxySettings.environment(["all_proxy": "http://all:1"]).proxy(for: "http://x/") == "http://all:1")
    }
}
