import TestSupport
import Testing
@testable import ControllerRuntime
import Kube

@Suite struct WorkQueueTests {
    @Test func dedupsQueuedKeysAndRequeuesOnDoneWhenAddedDuringProcessing() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.depth == 2)
        let first = await queue.get()
        #expect(first == "a")
        await queue.add("a")  // while processing: held back until done
        #expect(await queue.depth == 1)
        #expect(await queue.get() == "b")
        #expect(await queue.depth == 0)
        await queue.done("a")
        #expect(await queue.depth == 1)
        #expect(await queue.get() == "a")
        await queue.done("a")
        await queue.done("b")
        await queue.shutdown()
        #expect(await queue.get() == nil)
    }

    @Test func shutdownWakesWaitingWorkers() async {
        let queue = WorkQueue<Int>()
        async let waiting = queue.get()
        await queue.shutdown()
        #expect(await waiting == nil)
    }

    /// Many workers, many keys, keys re-added constantly: no key ever has two workers.
    @Test func oneWorkerPerKeyUnderStress() async {
        let queue = WorkQueue<Int>()
        let tracker = InFlight()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    while let key = await queue.get() {
                        await tracker.begin(key)
                        await Task.yield()
                        if await tracker.processed < 4000 { await queue.add((key * 7) % 50) ; await queue.add(key) }
                        await tracker.end(key)
                        await queue.done(key)
                        if await tracker.processed >= 4000, await queue.depth == 0 { await queue.shutdown() }
                    }
                }
            }
            for key in 0..<50 { await queue.add(key) }
        }
        #expect(await tracker.violations == 0)
        #expect(await tracker.processed >= 4000)
    }

    @Test func delayedAddArrives() async {
        let queue = WorkQueue<String>()
        await queue.addAfter("later", .milliseconds(20))
        #expect(await queue.get() == "later")
    }

    @Test func controllerRateLimiterIsPerItemExponentialAndForgets() {
        var limiter = ControllerRateLimiter<String>(qps: nil)
        let delays = (0..<4).map { _ in limiter.when("x", now: 0) }
        #expect(delays == [0.005, 0.01, 0.02, 0.04])
        #expect(limiter.when("y", now: 0) == 0.005, "per item")
        for _ in 0..<40 { _ = limiter.when("x", now: 0) }
        #expect(limiter.when("x", now: 0) == 1000, "capped at 1000 s")
        limiter.forget("x")
        #expect(limiter.when("x", now: 0) == 0.005)
    }

    @Test func controllerRateLimiterBucketAppliesAfterTheBurst() {
        var limiter = ControllerRateLimiter<Int>()
        let delays = (0..<101).map { limiter.when($0, now: 0) }
        #expect(delays.prefix(100).allSatisfy { $0 == 0.005 })
        #expect(abs(delays[100] - 0.1) < 1e-9, "10 qps once the burst of 100 is spent")
    }

    @Test func reflectorBackoffDoublesToThirtySecondsWithJitterAndResets() {
        var backoff = Backoff.reflector
        let waits = (0..<8).map { backoff.next(now: Double($0), random: 0) }
        #expect(waits == [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30])
        #expect(backoff.next(now: 8, random: 0.5) == 45, "jitter 1.0 stretches up to 2×")
        #expect(backoff.next(now: 200, random: 0) == 0.8, "reset after two quiet minutes")
    }

    @Test func unfinishedWorkAndLongestRunningAreComputedWhenScraped() async {
        let registry = MetricsRegistry()
        let clock = ManualClock()
        let queue = WorkQueue<String>(rateLimiter: ControllerRateLimiter(), metrics: WorkQueueMetrics(registry: registry, name: "q"),
                                      now: { clock.now })
        func gauges() -> (Double, Double) {
            let text = registry.render()
            func value(_ name: String) -> Double {
                let line = text.split(separator: "\n").first { $0.hasPrefix("workqueue_\(name){") }
                return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? -1
            }
            return (value("unfinished_work_seconds"), value("longest_running_processor_seconds"))
        }
        #expect(gauges() == (0, 0))
        await queue.add("a")
        await queue.add("b")
        _ = await queue.get()
        clock.advance(3)
        _ = await queue.get()
        clock.advance(2)
        #expect(gauges() == (7, 5), "a has run 5 s and b 2 s")
        await queue.done("a")
        await queue.done("b")
        #expect(gauges() == (0, 0))
    }
}

actor InFlight {
    private var active: Set<Int> = []
    private(set) var violations = 0
    private(set) var processed = 0

    func begin(_ key: Int) {
        if active.contains(key) { violations += 1 }
        active.insert(key)
    }

    func end(_ key: Int) {
        active.remove(key)
        processed += 1
    }
}

extension WorkQueueTests {
    /// A due requeue must not be pushed back by a later, longer one (controller-runtime keeps the
    /// earliest): a reconcile asking for "in an hour" must not cancel a retry due now.
    @Test func addAfterKeepsTheEarlierOfTwoPendingAdds() async throws {
        let queue = WorkQueue<String>()
        await queue.addAfter("a", .milliseconds(20))
        await queue.addAfter("a", .seconds(3600))
        // A generous deadline: the 20 ms timer fired only after 10 s once on a loaded CI machine; the
        // hour-long one cannot fire within it, so the test still tells the two apart.
        #expect(await eventually(within: 120) { await queue.depth == 1 })
        await queue.shutdown()
    }
}
