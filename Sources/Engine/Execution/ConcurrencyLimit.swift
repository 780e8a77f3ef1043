import Synchronization

/// A counting semaphore for module calls, shared by every execution of a process: however many
/// runs and layers are active, at most `limit` calls to AWS are in flight at once (a
/// 2,000-resource layer does not open 2,000 connections). Waiters are served in arrival order.
///
/// A lock rather than an actor: taking a free permit is then a few instructions on the caller's
/// thread, where an actor cost two executor hops per module call (thousands per large layer).
public final class ConcurrencyLimit: Sendable {
    public let limit: Int

    private struct State {
        var inUse = 0
        /// Waiters in arrival order from `head`; a permit is handed straight to the first, so
        /// while any wait, every permit is in use.
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0

        var hasWaiters: Bool { head < waiters.count }

        mutating func popWaiter() -> CheckedContinuation<Void, Never> {
            let first = waiters[head]
            head += 1
            if head == waiters.count {
                waiters.removeAll(keepingCapacity: true)
                head = 0
            }
            return first
        }
    }

    private let state = Mutex(State())

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
        if state.withLock({ takeFree(&$0) }) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // A permit may have come free since the first look: take it rather than queue.
            let granted = state.withLock { state -> Bool in
                if takeFree(&state) { return true }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    private func takeFree(_ state: inout State) -> Bool {
        guard !state.hasWaiters, state.inUse < limit else { return false }
        state.inUse += 1
        return true
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.hasWaiters else {
                state.inUse -= 1
                return nil
            }
            return state.popWaiter()  // the permit passes straight to the next waiter
        }
        next?.resume()
    }

    /// Permits held now (for tests and metrics).
    public var held: Int { state.withLock { $0.inUse } }
}
