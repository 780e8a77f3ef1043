import CCurl
import Synchronization

/// Easy handles kept for the next transfer. `curl_easy_init` allocates and zeroes libcurl's
/// large per-transfer state and `curl_easy_cleanup` frees it; `curl_easy_reset` instead returns
/// a handle to its defaults (every option, so nothing of one request leaks into the next —
/// `CURLOPT_FRESH_CONNECT` included). Connections are not the handle's to keep: they live in the
/// multi handle's cache either way.
enum CurlEasyHandles {
    /// A few: sequential callers need one or two, and an idle handle holds tens of kilobytes
    /// (libcurl's receive buffer among them), which the operator's idle footprint would carry.
    static let limit = 8
    private static let idle = Mutex<[Handle]>([])

    /// An idle handle belongs to no thread: whoever takes it is its only user.
    private struct Handle: @unchecked Sendable { let easy: UnsafeMutableRawPointer }

    static func take() -> UnsafeMutableRawPointer? {
        idle.withLock { $0.popLast() }?.easy ?? curl_easy_init()
    }

    /// Takes back a handle no multi handle holds any more.
    static func recycle(_ easy: UnsafeMutableRawPointer) {
        curl_easy_reset(easy)
        let kept = idle.withLock { handles in
            guard handles.count < limit else { return false }
            handles.append(Handle(easy: easy))
            return true
        }
        if !kept { curl_easy_cleanup(easy) }
    }
}
