import ControllerRuntime
import Kube

/// Events leave the reconcile without waiting for the API server: a step's Events are queued in
/// order and one task records them (client-go's event broadcaster does the same). A step that
/// records its intent and then calls AWS never waits for Event writes, and the Events of one
/// execution still reach the server in the order the Engine emitted them.
///
/// The recorder has a client of its own, with its own client-side rate limit, so a burst of
/// Events never holds back a status write either.
final class EventQueue: Sendable {
    struct Item: Sendable {
        var type: Event.EventType
        var regarding: ObjectReference
        var subject: String?
        var reason: String
        var action: String
        var note: String
    }

    private let continuation: AsyncStream<Item>.Continuation
    private let drain: Task<Void, Never>

    init(recorder: EventRecorder) {
        // Bounded: if the API server is down for long, the oldest Events are dropped rather than
        // growing memory without limit (Events are best effort; status is what is kept).
        let (stream, continuation) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        self.continuation = continuation
        drain = Task {
            for await item in stream {
                await recorder.record(item.type, regarding: item.regarding, subject: item.subject, reason: item.reason,
                                      action: item.action, note: item.note)
            }
        }
    }

    func record(_ type: Event.EventType, regarding: ObjectReference, subject: String? = nil, reason: String, action: String,
                note: String) {
        continuation.yield(Item(type: type, regarding: regarding, subject: subject, reason: reason, action: action, note: note))
    }

    /// Records what is queued, waiting at most `grace` (an unreachable API server must not hold
    /// up the exit), then stops.
    func finish(grace: Duration = .seconds(5)) async {
        continuation.finish()
        let drain = self.drain
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await drain.value }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
        drain.cancel()
    }
}
