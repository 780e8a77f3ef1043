#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own for a blocking loop (an accept loop, a signal pipe, a child's output),
/// without Foundation's `Thread`: the operator links only FoundationEssentials (ARCHITECTURE.md,
/// "Footprint"). Blocking work must never sit on Swift concurrency's cooperative pool.
public enum DetachedThread {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    public static func start(_ body: @escaping @Sendable () -> Void) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        precondition(status == 0, "cannot start a thread (pthread_create: \(status))")
        pthread_detach(thread)
    }
}
