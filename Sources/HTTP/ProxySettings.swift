/// Which proxy a request goes through, decided from an environment the way curl and the AWS SDKs
/// read it: `https_proxy`/`HTTPS_PROXY` for https URLs, lowercase `http_proxy` only for http URLs
/// (the upper-case one is ignored, as curl does, because CGI sets HTTP_PROXY from a request
/// header), `all_proxy` as the fallback, and `no_proxy`/`NO_PROXY` for exceptions.
///
/// The environment is passed in rather than left to libcurl so that a test can give one client a
/// proxy without changing the process environment under every other concurrent test.
public struct ProxySettings: Sendable, Hashable {
    public var httpProxy: String?
    public var httpsProxy: String?
    public var noProxy: String?

    public init(httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// No proxy at all, whatever the environment says.
    public static let none = ProxySettings()

    public static func environment(_ env: [String: String]) -> ProxySettings {
        func first(_ names: String...) -> String? {
            names.lazy.compactMap { env[$0] }.first { !$0.isEmpty }
        }
        let all = first("all_proxy", "ALL_PROXY")
        return ProxySettings(httpProxy: first("http_proxy") ?? all,
                             httpsProxy: first("https_proxy", "HTTPS_PROXY") ?? all,
                             noProxy: first("no_proxy", "NO_PROXY"))
    }

    /// The proxy for `url`, or "" for a direct connection (which also stops libcurl from reading
    /// the process environment on its own).
    func proxy(for url: String) -> String {
        // `url.lowercased().hasPrefix("https:")` without lowercasing the whole URL per request.
        var url = url
        let isHTTPS = url.withUTF8 { $0.count >= 6 && HTTPHeaders.sameName(UnsafeBufferPointer(rebasing: $0[..<6]), "https:") }
        return (isHTTPS ? httpsProxy : httpProxy) ?? ""
    }
}
