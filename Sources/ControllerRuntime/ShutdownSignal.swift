#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import HTTP
import Synchronization

/// Turns SIGTERM/SIGINT into an async shutdown signal. A signal handler writes the signal's
/// number to a pipe (the only async-signal-safe thing it does) and one thread blocks reading the
/// pipe, so waiting costs no CPU. (Dispatch signal sources need the signal ignored, and on Linux
/// an ignored signal is discarded before it reaches them.) As controller-runtime's
/// SetupSignalHandler: the first signal starts a graceful shutdown (`wait` returns, `run`
/// cancels its work); a second one exits at once with status 1, for a stuck shutdown.
/// Make one per process: handlers are process-wide.
public final class ShutdownSignal: Sendable {
    private struct State {
        var received: Int32?
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Int32?, Never>] = [:]
    }

    private let state = Mutex(State())
    private let exitOnSecond: Bool

    public init(signals: [Int32] = [SIGTERM, SIGINT], exitOnSecond: Bool = true) {
        self.exitOnSecond = exitOnSecond
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalPipe.writeEnd, &byte, 1)
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
        SignalPipe.shared.listen(self, to: Set(signals))
    }

    /// The first signal received, if any.
    public var received: Int32? { state.withLock { $0.received } }

    /// Suspends (no CPU) until a signal arrives and returns it; nil if the waiting task is
    /// cancelled first.
    public func wait() async -> Int32? {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Int32?? = state.withLock { state in
                    if let received = state.received { return .some(received) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// Runs `work` until it returns, cancelling it when a signal arrives (it should then finish
    /// what it is doing, release leases, and return).
    public func run(_ work: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await work(); return true }
            group.addTask { await self.wait() != nil ? false : true }
            _ = await group.next()
            // Either the signal came (cancel the work) or the work ended (stop waiting).
            group.cancelAll()
            await group.waitForAll()
        }
    }

    func deliver(_ number: Int32) {
        let (waiters, second) = state.withLock { state in
            if state.received != nil { return ([CheckedContinuation<Int32?, Never>](), true) }
            state.received = number
            defer { state.waiters = [:] }
            return (Array(state.waiters.values), false)
        }
        if second, exitOnSecond { exit(1) }
        for waiter in waiters { waiter.resume(returning: number) }
    }
}

/// The self-pipe shared by the process's signal handlers, and the one thread that reads it and
/// tells the listening `ShutdownSignal`s (held weakly, so a finished one is simply skipped).
final class SignalPipe: Sendable {
    private struct Listener {
        weak var target: ShutdownSignal?
        var signals: Set<Int32>
    }

    static let shared = SignalPipe()
    /// Read by the signal handler, which may not touch anything but plain globals.
    nonisolated(unsafe) static var writeEnd: Int32 = -1
    private let listeners = Mutex<[Listener]>([])

    private init() {
        var fds: [Int32] = [-1, -1]
        precondition(pipe(&fds) == 0, "cannot create the signal pipe")
        Self.writeEnd = fds[1]
        let readEnd = fds[0]
        DetachedThread.start { [self] in
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n < 0, errno == EINTR { continue }
                guard n == 1 else { return }
                let number = Int32(byte)
                let targets = listeners.withLock { listeners in
                    listeners.removeAll { $0.target == nil }
                    return listeners.filter { $0.signals.contains(number) }.compactMap(\.target)
                }
                for target in targets { target.deliver(number) }
            }
        }
    }

    func listen(_ target: ShutdownSignal, to signals: Set<Int32>) {
        listeners.withLock { $0.append(Listener(target: target, signals: signals)) }
    }
}
