import Synchronization
import Testing
import Kube
import YAML
@testable import ControllerRuntime

/// The recorder against the test API server, with a hand-moved clock for the window and bucket.
@Suite(.serialized) struct EventRecorderTests {
    let env: KubeTestEnv
    let clock = ManualClock()
    init() throws { env = try KubeTestEnv() }

    func recorder() -> EventRecorder {
        let clock = clock
        return EventRecorder(client: env.client, options: .init(reportingController: "lifeboat.dev/test",
                                                                reportingInstance: "pod-1"),
                             logger: .disabled, now: { clock.now })
    }

    func widget(_ name: String) -> ObjectReference {
        ObjectReference(KubeTestEnv.widget(name), KubeTestEnv.widgets)
    }

    func events() async throws -> [Event] {
        try await env.client.api(Event.self, .events, namespace: "default").list().items
    }

    @Test func repeatsWithinTheWindowBecomeOneSeries() async throws {
        let recorder = recorder()
        for _ in 0..<3 {
            await recorder.record(.warning, regarding: widget("a"), reason: "StepFailed", action: "Reconcile", note: "boom")
            clock.advance(10)
        }
        await recorder.record(.normal, regarding: widget("a"), reason: "Started", action: "Reconcile", note: "go")
        var stored = try await events()
        #expect(stored.count == 2)
        let failed = try #require(stored.first { $0.reason == "StepFailed" })
        #expect(failed.series?.count == 3 && failed.type == .warning && failed.note == "boom")
        #expect(failed.regarding.kind == "Widget" && failed.regarding.name == "a")
        #expect(failed.reportingController == "lifeboat.dev/test" && failed.reportingInstance == "pod-1")
        #expect(failed.eventTime.hasSuffix("Z") && failed.eventTime.split(separator: ".").last?.count == 7)

        // The same objects through core/v1, as kubectl describe reads them.
        let core = try await env.client.api(DynamicObject.self, .coreEvents, namespace: "default").list().items
        #expect(core.count == 2)
        #expect(core.allSatisfy { $0["involvedObject"]?["name"] == "a" })

        clock.advance(361)  // past the window: a new Event, not a longer series
        await recorder.record(.warning, regarding: widget("a"), reason: "StepFailed", action: "Reconcile", note: "again")
        stored = try await events()
        #expect(stored.filter { $0.reason == "StepFailed" }.count == 2)
    }

    @Test func aNoisyObjectIsBoundedByItsTokenBucket() async throws {
        let recorder = recorder()
        for i in 0..<30 {
            await recorder.record(.normal, regarding: widget("noisy"), reason: "Reason\(i)", action: "Reconcile", note: "n")
        }
        #expect(try await events().count == 25, "burst 25, then dropped")
        await recorder.record(.normal, regarding: widget("quiet"), reason: "Reason0", action: "Reconcile", note: "n")
        #expect(try await events().count == 26, "the bound is per object")
        clock.advance(300)
        await recorder.record(.normal, regarding: widget("noisy"), reason: "Later", action: "Reconcile", note: "n")
        await recorder.record(.normal, regarding: widget("noisy"), reason: "Later2", action: "Reconcile", note: "n")
        #expect(try await events().count == 27, "one token per 5 minutes")
    }
}

/// Monotonic seconds that only move when a test moves them.
final class ManualClock: Sendable {
    private let seconds = Mutex(1000.0)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

extension EventRecorderTests {
    /// Events about one object that say different things (a step started for resource 1, 2, 3…)
    /// are different events, not one series that keeps only the first note.
    @Test func differentNotesAboutOneObjectAreDifferentEvents() async throws {
        let recorder = recorder()
        for i in 1...3 {
            await recorder.record(.normal, regarding: widget("run"), reason: "ResourceStarted", action: "Reconcile",
                                  note: "resource r\(i) started")
        }
        let notes = try await events().map { $0.note ?? "" }.sorted()
        #expect(notes == ["resource r1 started", "resource r2 started", "resource r3 started"])
    }
}

extension EventRecorderTests {
    /// "Started" for each of 40 resources of one run: one Event each (the subject is in the
    /// key), none dropped (the spam bound is per subject), each pointing at its resource.
    @Test func eachSubjectHasItsOwnSeriesAndSpamBound() async throws {
        let recorder = recorder()
        for i in 0..<40 {
            await recorder.record(.normal, regarding: widget("run"), subject: "spec.resources{r\(i)}",
                                  reason: "ResourceStarted", action: "Reconcile", note: "started")
        }
        await recorder.record(.normal, regarding: widget("run"), subject: "spec.resources{r0}",
                              reason: "ResourceStarted", action: "Reconcile", note: "started")
        let stored = try await events()
        #expect(stored.count == 40)
        #expect(Set(stored.compactMap(\.regarding.fieldPath)).count == 40)
        #expect(stored.first { $0.regarding.fieldPath == "spec.resources{r0}" }?.series?.count == 2)
    }
}
