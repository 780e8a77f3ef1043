#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// SIGINT and SIGTERM for a run: the first one is counted, and the runner turns it into a
/// cancel request (no new work starts; work in flight is tracked to the end). The second one
/// ends the process at once, from the signal handler, with status 128+signal: every transition
/// is already on disk, so the state directory stays resumable exactly as after a crash.
public enum Interrupts {
    public struct Snapshot: Sendable, Equatable {
        public var count: Int
        public var signal: Int32

        public init(count: Int = 0, signal: Int32 = 0) {
            self.count = count
            self.signal = signal
        }
    }

    /// `json`: the last word goes out as a JSON log line, as everything else on standard error
    /// does with `--log-format json`. (A signal handler can only write a constant.)
    public static func install(json: Bool = false) {
        messageInJSON.store(json, ordering: .relaxed)
        for signo in [SIGINT, SIGTERM] {
            signal(signo) { signo in
                lastInterrupt.store(Int(signo), ordering: .relaxed)
                guard interruptCount.add(1, ordering: .relaxed).newValue >= 2 else { return }
                let text: StaticString = "\ndrctl run: second interrupt: stopping now. The state directory is kept; run the same command again to resume.\n"
                let json: StaticString = "{\"level\":\"warning\",\"msg\":\"second interrupt: stopping now. The state directory is kept; run the same command again to resume.\"}\n"
                let message = messageInJSON.load(ordering: .relaxed) ? json : text
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                _exit(128 + signo)
            }
        }
    }

    /// Signals received so far, for `LocalRunner.interrupts`.
    public static func current() -> Snapshot {
        Snapshot(count: interruptCount.load(ordering: .relaxed), signal: Int32(lastInterrupt.load(ordering: .relaxed)))
    }
}

private let interruptCount = Atomic<Int>(0)
private let lastInterrupt = Atomic<Int>(0)
private let messageInJSON = Atomic<Bool>(false)
