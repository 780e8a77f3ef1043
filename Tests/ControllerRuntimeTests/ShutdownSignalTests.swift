import Foundation
import Testing
@testable import ControllerRuntime

/// Real signals sent to this process. SIGUSR1/SIGUSR2 only, and only after `ShutdownSignal`
/// installed its handler for them, so the test runner is never at risk; no other test uses them.
@Suite(.serialized) struct ShutdownSignalTests {
    @Test func aSignalWakesTheWaiter() async {
        let shutdown = ShutdownSignal(signals: [SIGUSR1], exitOnSecond: false)
        #expect(shutdown.received == nil)
        kill(getpid(), SIGUSR1)
        #expect(await shutdown.wait() == SIGUSR1)
        #expect(shutdown.received == SIGUSR1)
        #expect(await shutdown.wait() == SIGUSR1, "later waiters return at once")
    }

    @Test func runCancelsItsWorkOnASignal() async {
        let shutdown = ShutdownSignal(signals: [SIGUSR2], exitOnSecond: false)
        let started = SyncSignal()
        let sawCancellation = SyncSignal()
        let runner = Task {
            await shutdown.run {
                await started.set()
                let parked = SyncSignal()
                _ = await withTaskCancellationHandler { await parked.wait() } onCancel: { Task { await parked.set() } }
                await sawCancellation.set()
            }
        }
        await started.wait()
        kill(getpid(), SIGUSR2)
        await runner.value
        #expect(await sawCancellation.isSet)
    }

    @Test func runReturnsWhenTheWorkEndsWithoutASignal() async {
        let shutdown = ShutdownSignal(signals: [SIGUSR2], exitOnSecond: false)
        await shutdown.run {}
        #expect(shutdown.received == nil)
    }
}
