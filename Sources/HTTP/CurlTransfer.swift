import CCurl

/// One request in flight: its easy handle and where the response goes. Created by HTTPClient,
/// then touched only on the loop thread (hence `@unchecked Sendable`); the continuations it
/// resumes are themselves thread-safe.
final class CurlTransfer: @unchecked Sendable {
    enum Delivery {
        case buffered(CheckedContinuation<HTTPResponse, any Error>)
        case streaming(head: CheckedContinuation<HTTPStreamingResponse, any Error>,
                       body: AsyncThrowingStream<[UInt8], any Error>.Continuation,
                       stream: AsyncThrowingStream<[UInt8], any Error>)
    }

    let id: UInt64
    private let url: String
    private(set) var easy: UnsafeMutableRawPointer?
    private var delivery: Delivery
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let requestBody: UnsafeMutableRawBufferPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private let maxBytes: Int

    private var status = 0
    private var headers = HTTPHeaders()
    private var headDelivered = false
    private var body: [UInt8] = []
    private var tooLarge = false
    private var done = false

    init(id: UInt64, request: HTTPRequest, configuration: HTTPClientConfiguration, delivery: Delivery) throws(HTTPError) {
        self.id = id
        self.delivery = delivery
        self.maxBytes = configuration.maxResponseBytes
        self.url = request.url
        requestBody = .allocate(byteCount: max(1, request.body.count), alignment: 1)
        request.body.withUnsafeBytes { requestBody.copyMemory(from: $0) }
        errorBuffer.initialize(to: 0)
        guard Self.hasHTTPScheme(request.url), let easy = CurlEasyHandles.take() else {
            throw .invalidURL(request.url)
        }
        self.easy = easy
        configure(easy, request, configuration)
    }

    deinit {
        if let easy { CurlEasyHandles.recycle(easy) }
        curl_slist_free_all(headerList)
        requestBody.deallocate()
        errorBuffer.deallocate()
    }

    private func configure(_ easy: UnsafeMutableRawPointer, _ request: HTTPRequest, _ configuration: HTTPClientConfiguration) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        func string(_ option: CURLoption, _ value: String) { _ = value.withCString { lb_easy_setopt_pointer(easy, option, $0) } }
        func long(_ option: CURLoption, _ value: Int) { _ = lb_easy_setopt_long(easy, option, value) }
        func pem(_ pem: TLSConfiguration.PEM, file: CURLoption, blob: CURLoption) {
            switch pem {
            case .file(let path): string(file, path)
            case .bytes(let bytes): _ = bytes.withUnsafeBytes { lb_easy_setopt_blob(easy, blob, $0.baseAddress, $0.count) }
            }
        }

        string(CURLOPT_URL, request.url)
        if request.freshConnection { long(CURLOPT_FRESH_CONNECT, 1) }
        long(CURLOPT_NOSIGNAL, 1)
        long(CURLOPT_TCP_KEEPALIVE, 1)
        long(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        _ = lb_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        string(CURLOPT_USERAGENT, configuration.userAgent)

        switch request.method {
        case .get where request.body.isEmpty: break
        case .head: long(CURLOPT_NOBODY, 1)
        default: string(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if !request.body.isEmpty || request.method == .post || request.method == .put || request.method == .patch {
            _ = lb_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            _ = lb_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, requestBody.baseAddress)
        }

        var hasExpect = false, hasContentType = false
        for (name, value) in request.headers {
            hasExpect = hasExpect || HTTPHeaders.sameName(name, "Expect")
            hasContentType = hasContentType || HTTPHeaders.sameName(name, "Content-Type")
            headerList = curl_slist_append(headerList, name + ": " + value)
        }
        // libcurl would add these on its own; an unasked-for Expect costs a round trip and a
        // form content type would mislabel JSON.
        if !hasExpect { headerList = curl_slist_append(headerList, "Expect:") }
        if !hasContentType { headerList = curl_slist_append(headerList, "Content-Type:") }
        _ = lb_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList)

        let timeouts = request.timeouts ?? configuration.timeouts
        long(CURLOPT_CONNECTTIMEOUT_MS, timeouts.connectMilliseconds)
        long(CURLOPT_TIMEOUT_MS, timeouts.totalMilliseconds)

        let tls = configuration.tls
        long(CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1 : 0)
        long(CURLOPT_SSL_VERIFYHOST, tls.verifyPeer ? 2 : 0)
        if let authorities = tls.certificateAuthorities { pem(authorities, file: CURLOPT_CAINFO, blob: CURLOPT_CAINFO_BLOB) }
        if let certificate = tls.clientCertificate {
            string(CURLOPT_SSLCERTTYPE, "PEM")
            pem(certificate, file: CURLOPT_SSLCERT, blob: CURLOPT_SSLCERT_BLOB)
        }
        if let key = tls.clientKey {
            string(CURLOPT_SSLKEYTYPE, "PEM")
            pem(key, file: CURLOPT_SSLKEY, blob: CURLOPT_SSLKEY_BLOB)
        }

        string(CURLOPT_PROXY, configuration.proxy.proxy(for: request.url))
        if let noProxy = configuration.proxy.noProxy { string(CURLOPT_NOPROXY, noProxy) }

        _ = lb_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        _ = lb_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        _ = lb_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = lb_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }
    }

    // MARK: Loop-thread callbacks

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch ResponseHeadLine(bytes) {
        case .status(let code):
            // A new status line: an interim 1xx response or a fresh response; start over.
            status = code
            headers = HTTPHeaders()
        case .end:
            if status >= 200 { deliverHead() }
        case .field(let name, let value):
            headers.add(name, value)
        case .other:
            break
        }
        return bytes.count
    }

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        deliverHead()
        switch delivery {
        case .buffered:
            guard body.count + bytes.count <= maxBytes else { tooLarge = true; return 0 }  // 0 aborts the transfer
            body.append(contentsOf: bytes)
        case .streaming(_, let continuation, _):
            continuation.yield(Array(bytes))
        }
        return bytes.count
    }

    private func deliverHead() {
        guard !headDelivered else { return }
        headDelivered = true
        if case .streaming(let head, _, let stream) = delivery {
            head.resume(returning: HTTPStreamingResponse(status: status, headers: headers, body: HTTPBodyStream(chunks: stream)))
        }
    }

    /// The transfer ended (successfully or not).
    func complete(_ result: CURLcode, override: String? = nil) {
        guard !done else { return }
        done = true
        let error: HTTPError? = tooLarge ? .responseTooLarge(limit: maxBytes)
            : result == CURLE_OK ? nil : classify(result, reason: override ?? reason(result))
        if error == nil, status < 100, let easy {
            var code = 0
            _ = lb_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
            status = code
        }
        switch delivery {
        case .buffered(let continuation):
            if let error { continuation.resume(throwing: error) }
            else { continuation.resume(returning: HTTPResponse(status: status, headers: headers, body: body)) }
        case .streaming(let head, let continuation, _):
            if let error {
                if headDelivered { continuation.finish(throwing: error) } else { headDelivered = true; head.resume(throwing: error) }
            } else {
                deliverHead()
                continuation.finish()
            }
        }
        release()
    }

    func cancelled() {
        guard !done else { return }
        done = true
        switch delivery {
        case .buffered(let continuation): continuation.resume(throwing: CancellationError())
        case .streaming(let head, let continuation, _):
            if headDelivered { continuation.finish(throwing: CancellationError()) } else { headDelivered = true; head.resume(throwing: CancellationError()) }
        }
        release()
    }

    /// Frees the handle at once rather than at deinit: a finished stream may be held for a while.
    private func release() {
        if let easy { CurlEasyHandles.recycle(easy) }
        easy = nil
        body = []
    }

    private func reason(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    private func classify(_ code: CURLcode, reason: String) -> HTTPError {
        let host = Self.host(of: url)  // only an error names the host: not worth parsing per request
        return switch code {
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidURL(host)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            .couldNotConnect(host: host, reason: reason)
        case CURLE_OPERATION_TIMEDOUT: .timedOut(host: host, reason: reason)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            .tls(host: host, reason: reason)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            .connectionLost(host: host, reason: reason)
        default: .failed(code: Int(code.rawValue), host: host, reason: reason)
        }
    }

    /// Whether the URL's scheme (its first non-empty colon-separated part) is http or https, in
    /// any case: the test `url.split(separator: ":").first?.lowercased()` made, read from the
    /// UTF-8 bytes without building the parts.
    static func hasHTTPScheme(_ url: String) -> Bool {
        var url = url
        return url.withUTF8 { bytes in
            var start = 0
            while start < bytes.count, bytes[start] == UInt8(ascii: ":") { start += 1 }
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ":") { end += 1 }
            let scheme = UnsafeBufferPointer(rebasing: bytes[start..<end])
            return HTTPHeaders.sameName(scheme, "http") || HTTPHeaders.sameName(scheme, "https")
        }
    }

    static func host(of url: String) -> String {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty else { return url }
        let rest = parts[2]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return String(authority.split(separator: "@").last ?? authority)
    }
}
