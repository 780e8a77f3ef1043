import Dispatch
import Synchronization

/// Runs async work from a synchronous command and waits for its result. Commands are
/// synchronous (`Command.run`); a run's loop is async because module calls are.
enum AsyncBridge {
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
