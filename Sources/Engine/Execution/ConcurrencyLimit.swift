/// A counting semaphore for module calls, shared by every execution of a process: however many
/// runs and layers are active, at most `limit` calls to AWS are in flight at once (a
/// 2,000-resource layer does not open 2,000 connections). Waiters are served in arrival order.
public actor ConcurrencyLimit {
    public let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// The process-wide default: 64 module calls at once.
    public static let process = ConcurrencyLimit(64)

    public init(_ limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` holding one of the permits.
    public func withPermit<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await acquire()
        let result = await body()
        release()
        return result
    }

    private func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()  // the permit passes straight to the next waiter
        }
    }

    /// Permits held now (for tests and metrics).
    public var held: Int { inUse }
}
