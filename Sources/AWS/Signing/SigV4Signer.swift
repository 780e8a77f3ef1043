import Digest
import HTTP
import Synchronization

/// AWS Signature Version 4, header form, as botocore's `SigV4Auth` computes it for every service
/// but S3 (S3 is not used by Lifeboat, so the S3 exceptions — single path encoding, unsigned
/// payloads — are deliberately absent).
///
/// Rules that are easy to get wrong, each checked against botocore in the tests:
/// - the canonical URI is the wire path with dot segments and empty segments removed, then
///   percent-encoded *again* (`/a%20b` signs as `/a%2520b`);
/// - the canonical query sorts encoded keys, then values; the wire uses the same string;
/// - header values are trimmed and inner runs of spaces collapsed; names lower-cased and sorted;
///   `user-agent`, `expect` and `x-amzn-trace-id` are not signed (proxies rewrite them);
/// - an empty body hashes to SHA-256("") and the session token is a signed header.
public struct SigV4Signer: Sendable {
    /// A request as it will go on the wire.
    public struct Request: Sendable {
        public var method: String
        /// `host` or `host:port` (non-default ports only), exactly as in the Host header.
        public var host: String
        /// The path, percent-encoded as on the wire.
        public var path: String
        /// The encoded query string (from `AWSURIEncoding.canonicalQuery`), without "?".
        public var query: String
        public var headers: HTTPHeaders
        public var body: [UInt8]

        public init(method: String, host: String, path: String, query: String = "", headers: HTTPHeaders = [:], body: [UInt8] = []) {
            self.method = method
            self.host = host
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }
    }

    static let unsignedHeaders: Set<String> = ["user-agent", "expect", "x-amzn-trace-id"]

    public var region: String
    public var service: String

    public init(region: String, service: String) {
        self.region = region
        self.service = service
    }

    /// Adds X-Amz-Date, X-Amz-Security-Token (for temporary credentials), Host and Authorization.
    public func sign(_ request: inout Request, credentials: AWSCredentials, time: AWSTimestamp.Seconds) {
        let amzDate = AWSTimestamp.amzDate(time)
        request.headers.remove("Authorization")
        request.headers["X-Amz-Date"] = amzDate
        if let token = credentials.sessionToken { request.headers["X-Amz-Security-Token"] = token }
        if !request.headers.contains("Host") { request.headers["Host"] = request.host }
        let scope = "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
        let (canonical, signedHeaders) = canonicalRequest(request)
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SHA256.hexHash(canonical))"
        let key = signingKey(secret: credentials.secretAccessKey, date: String(amzDate.prefix(8)))
        let signature = Hex.encode(HMACSHA256.authenticationCode(key: key, message: stringToSign))
        request.headers["Authorization"] =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// The canonical request and the signed-header list (exposed for the tests against botocore).
    public func canonicalRequest(_ request: Request) -> (text: String, signedHeaders: String) {
        var headers: [(String, String)] = []
        for (name, value) in request.headers {
            let lower = name.lowercased()
            guard !Self.unsignedHeaders.contains(lower) else { continue }
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            if let index = headers.firstIndex(where: { $0.0 == lower }) { headers[index].1 += "," + trimmed }
            else { headers.append((lower, trimmed)) }
        }
        headers.sort { $0.0 < $1.0 }
        let signedHeaders = headers.map(\.0).joined(separator: ";")
        let canonicalHeaders = headers.map { "\($0.0):\($0.1)\n" }.joined()
        let payloadHash = SHA256.hexHash(request.body)
        let text = [request.method.uppercased(), Self.canonicalURI(request.path), request.query, canonicalHeaders, signedHeaders,
                    payloadHash].joined(separator: "\n")
        return (text, signedHeaders)
    }

    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." { _ = segments.popLast() } else { segments.append(segment) }
        }
        var normalized = (path.hasPrefix("/") ? "/" : "") + segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
        return AWSURIEncoding.encode(normalized, keepSlash: true)
    }

    /// The derived key changes once a day per secret, region and service: caching it saves four
    /// of the five HMACs of a signature. Bounded, and keyed by the secret itself so a rotated
    /// secret can never be signed with a stale key.
    private static let keyCache = Mutex<[String: [UInt8]]>([:])

    private func signingKey(secret: String, date: String) -> [UInt8] {
        let cacheKey = "\(date)/\(region)/\(service)/\(secret)"
        if let key = Self.keyCache.withLock({ $0[cacheKey] }) { return key }
        let key = deriveKey(secret: secret, date: date)
        Self.keyCache.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }
            cache[cacheKey] = key
        }
        return key
    }

    private func deriveKey(secret: String, date: String) -> [UInt8] {
        let dateKey = HMACSHA256.authenticationCode(key: Array("AWS4\(secret)".utf8), message: date)
        let regionKey = HMACSHA256.authenticationCode(key: dateKey, message: region)
        let serviceKey = HMACSHA256.authenticationCode(key: regionKey, message: service)
        return HMACSHA256.authenticationCode(key: serviceKey, message: "aws4_request")
    }
}
