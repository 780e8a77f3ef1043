/// Where one service's requests go and how they are signed.
public struct AWSEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    /// `host` or `host:port`, as in the URL.
    public var authority: String
    /// A path prefix from an endpoint override (`http://proxy/aws`), without a trailing "/".
    public var basePath: String
    public var signingRegion: String

    /// The Host header: the authority without a default port (what botocore signs).
    public var hostHeader: String {
        if scheme == "https", authority.hasSuffix(":443") { return String(authority.dropLast(4)) }
        if scheme == "http", authority.hasSuffix(":80") { return String(authority.dropLast(3)) }
        return authority
    }

    public var description: String { "\(scheme)://\(authority)\(basePath)" }

    /// Parses `scheme://authority[/path]`; nil for anything else.
    public init?(url: String, signingRegion: String) {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        let scheme = parts[0].dropLast().lowercased()
        guard parts[0].hasSuffix(":"), scheme == "http" || scheme == "https",
              !parts[2].contains(where: { $0 == " " || $0 == "?" || $0 == "#" || $0 == "@" }) else { return nil }
        self.scheme = scheme
        self.authority = String(parts[2])
        var path = parts.count > 3 ? "/" + parts[3] : ""
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
        self.signingRegion = signingRegion
    }
}
