#if canImport(Glibc)
import Glibc
#endif

/// Waits for a condition another task or process brings about, with a deadline: it returns as
/// soon as the condition holds (the short pause only yields between checks), and false when
/// the deadline passes. Tests assert on the result, never on how long it took.
public func eventually(within seconds: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// The same for synchronous tests (a thread that may block).
public func eventuallyBlocking(within seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}
