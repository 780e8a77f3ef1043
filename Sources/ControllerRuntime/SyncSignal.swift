/// A one-way latch that tasks can wait on without polling. Waiting is cancellable: a shutdown
/// must never hang on a latch that will not be set (a cache that never syncs).
actor SyncSignal {
    private(set) var isSet = false
    private var nextID = 0
    private var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]

    func set() {
        guard !isSet else { return }
        isSet = true
        for waiter in waiters.values { waiter.resume(returning: true) }
        waiters = [:]
    }

    /// Suspends until the latch is set (true) or the waiting task is cancelled (false).
    @discardableResult
    func wait() async -> Bool {
        if isSet { return true }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if isSet {
                    continuation.resume(returning: true)
                } else if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(returning: false)
    }
}
