import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one libcurl multi handle of the process and the thread that drives it.
///
/// Every transfer of every HTTPClient runs here: one event loop instead of a thread per request
/// or watch, and one connection cache, so keep-alive connections are reused across clients.
/// Async callers hand work over through a lock-protected mailbox and wake the loop with
/// `curl_multi_wakeup`; with nothing to do the thread blocks in `curl_multi_poll`, so an idle
/// process costs no CPU. Only the loop thread touches the multi and easy handles.
final class CurlMultiLoop: @unchecked Sendable {
    enum Command {
        case add(CurlTransfer)
        case cancel(UInt64)
    }

    static let shared = CurlMultiLoop()

    private let multi: UnsafeMutableRawPointer
    private let mailbox = Mutex<[Command]>([])
    private let nextID = Atomic<UInt64>(1)
    /// Loop-thread state: the transfers in flight, by easy handle and by id.
    private var byHandle: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var byID: [UInt64: UnsafeMutableRawPointer] = [:]

    private init() {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        multi = curl_multi_init()
        // libcurl's default keeps 4 idle connections per handle in use, so after a burst the cache
        // shrinks and later calls reconnect; the operator talks to a few dozen endpoints at most.
        lb_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<CurlMultiLoop>.fromOpaque(context!).takeRetainedValue().run()
        }, context)
        precondition(status == 0, "cannot start the HTTP event loop thread (pthread_create: \(status))")
        pthread_detach(thread)
    }

    func makeID() -> UInt64 { nextID.add(1, ordering: .relaxed).oldValue }

    func submit(_ command: Command) {
        mailbox.withLock { $0.append(command) }
        curl_multi_wakeup(multi)
    }

    private func run() -> Never {
        while true {
            for command in mailbox.withLock({ commands in defer { commands = [] }; return commands }) {
                switch command {
                case .add(let transfer): start(transfer)
                case .cancel(let id): cancel(id)
                }
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                finish(easy, result: message.pointee.data.result)
            }
            // libcurl shortens this wait to its own next timer, and curl_multi_wakeup ends it early.
            curl_multi_poll(multi, nil, 0, 3_600_000, nil)
        }
    }

    private func start(_ transfer: CurlTransfer) {
        guard let easy = transfer.easy else { return }
        let code = curl_multi_add_handle(multi, easy)
        guard code == CURLM_OK else {
            transfer.complete(CURLE_FAILED_INIT, override: "curl_multi_add_handle: \(String(cString: curl_multi_strerror(code)))")
            return
        }
        byHandle[easy] = transfer
        byID[transfer.id] = easy
    }

    private func cancel(_ id: UInt64) {
        guard let easy = byID.removeValue(forKey: id), let transfer = byHandle.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        transfer.cancelled()
    }

    private func finish(_ easy: UnsafeMutableRawPointer, result: CURLcode) {
        guard let transfer = byHandle.removeValue(forKey: easy) else { return }
        byID[transfer.id] = nil
        curl_multi_remove_handle(multi, easy)
        transfer.complete(result)
    }
}
