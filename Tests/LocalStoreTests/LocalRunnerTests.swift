import TestSupport
import Engine
import EngineTesting
import Foundation
import LifeboatAPI
import LocalStore
import Synchronization
import Testing

@Suite struct LocalRunnerTests {
    let plan = Local.plan([("data", ["db-a", "db-b"]), ("app", ["api", "web"])])

    @Test func aRunGoesToTheEndWritingEveryTransition() async throws {
        let store = StateDirectory(Local.temporaryDirectory())
        try store.createExecution(Local.execution())
        let cloud = try Local.journaledCloud(store)
        let observer = RecordingObserver()
        let outcome = try await Local.runner(store, plan: plan, cloud: cloud).run(observer: observer)
        let stored = try #require(try store.readExecution())
        #expect(outcome.execution == stored)
        #expect(stored.status?.phase == .succeeded)
        #expect(stored.status?.progress == Progress(total: 4, succeeded: 4))
        #expect(cloud.effectsApplied == ["db-a": 1, "db-b": 1, "api": 1, "web": 1])
        #expect(observer.events.first?.reason == .executionStarted && observer.events.last?.reason == .executionSucceeded)
        let logged = try #require(try AtomicFile.readText(store.eventsPath)).split(separator: "\n")
        #expect(logged.count == observer.events.count)
        // The plan was claimed and released; the record is what a later phase's guard reads.
        let planState = try store.readPlanState()
        #expect(planState.activeExecution == nil)
        #expect(planState.lastExecutions.map(\.result) == [.succeeded])
    }

    /// The crash-safety invariant across processes: the intent (Starting) was written, the start
    /// reached the cloud, and the process died before it wrote what start returned. The next
    /// process drives start again, and the cloud — restored from its journal — adopts.
    @Test func aResourceLeftStartingIsStartedAgainAndTheOperationAdopted() async throws {
        let store = StateDirectory(Local.temporaryDirectory())
        let execution = Local.execution()
        let first = Engine.step(EngineInput(execution: execution, plan: plan, now: WallClock.now(), settings: Local.settings))
        #expect(first.effects.map(\.description) == ["start db-a (attempt 1)", "start db-b (attempt 1)"])
        var written = execution
        written.status = first.status
        try store.createExecution(written)
        let dyingCloud = try Local.journaledCloud(store)
        let executor = EffectExecutor(registry: SimulatedModule.registry(cloud: dyingCloud))
        _ = await executor.run(first.effects[0], for: written, status: first.status)
        #expect(dyingCloud.effectsApplied == ["db-a": 1])

        let cloud = try Local.journaledCloud(store)  // the next process
        let outcome = try await Local.runner(store, plan: plan, cloud: cloud).run(observer: RecordingObserver())
        #expect(outcome.execution.status?.phase == .succeeded)
        #expect(cloud.effectsApplied == ["db-a": 1, "db-b": 1, "api": 1, "web": 1])
        #expect(cloud.startCalls["db-a"] == 2)
        #expect(outcome.execution.status?.resource("db-a")?.attempts == 2)
    }

    @Test func anApprovalWrittenFromOutsideWakesAWaitingRun() async throws {
        let gated = Local.plan([("data", ["db-a"]), ("app", ["api"])], pauseBefore: ["app"])
        let store = StateDirectory(Local.temporaryDirectory())
        try store.createExecution(Local.execution(annotations: [LifeboatAnnotation.createdBy: "test"]))
        let cloud = try Local.journaledCloud(store)
        let runner = Local.runner(store, plan: gated, cloud: cloud)
        let run = Task { try await runner.run(observer: RecordingObserver()) }
        // A deadline, not a pace: on a loaded CI machine the first layer took over 30 s once.
        let waiting = try await eventually(within: 180) { try store.readExecution()?.status?.phase == .awaitingApproval }
        #expect(waiting)
        #expect(cloud.effectsApplied["api"] == nil)
        try store.annotate { LocalRequests.deciding(["layer-app"], approve: true, in: $0, by: "alice") }
        let outcome = try await run.value
        let status = try #require(outcome.execution.status)
        #expect(status.phase == .succeeded)
        #expect(status.gates?.first { $0.id == "layer-app" }?.decidedBy == "alice")
        #expect(outcome.execution.metadata.annotations?[LifeboatAnnotation.createdBy] == "test")
    }

    @Test func aPersonAtTheTerminalCanRejectAGate() async throws {
        let gated = Local.plan([("data", ["db-a"])], approvals: ApprovalPolicy(phases: [.instantiate], drills: .required))
        let store = StateDirectory(Local.temporaryDirectory())
        try store.createExecution(Local.execution())
        let cloud = try Local.journaledCloud(store)
        let outcome = try await Local.runner(store, plan: gated, cloud: cloud).run(observer: RecordingObserver(answers: ["start": .reject]))
        #expect(outcome.execution.status?.phase == .cancelled)
        #expect(outcome.execution.status?.conditions?[type: ConditionType.succeeded]?.reason == "Rejected")
        #expect(cloud.startCalls.isEmpty)
    }

    @Test func theFirstInterruptCancelsButTracksWorkInFlight() async throws {
        let store = StateDirectory(Local.temporaryDirectory())
        try store.createExecution(Local.execution())
        let cloud = try Local.journaledCloud(store, scripts: ["db-a": ResourceScript(polls: 5, pollHint: GoDuration(milliseconds: 2))])
        let signalled = Interrupted()
        var runner = Local.runner(store, plan: plan, cloud: cloud)
        runner.interrupts = { signalled.snapshot(whenInFlight: store) }
        let observer = RecordingObserver()
        let outcome = try await runner.run(observer: observer)
        let status = try #require(outcome.execution.status)
        #expect(observer.interruptions == 1)
        #expect(status.phase == .cancelled)
        #expect(status.resource("db-a")?.state == .succeeded)  // in flight when cancelled: tracked to the end
        #expect(status.resource("api")?.state == .cancelled)
        #expect(outcome.execution.metadata.annotations?[LifeboatAnnotation.cancel]?.hasPrefix("sigint-") == true)
    }

    @Test func phaseOrderGuardsHoldAcrossRunsOfOneDirectory() async throws {
        let store = StateDirectory(Local.temporaryDirectory())
        let cloud = try Local.journaledCloud(store)
        try store.createExecution(Local.execution("cleanup-1", phase: .cleanup, mode: .recovery))
        let refused = try await Local.runner(store, plan: plan, cloud: cloud).run(observer: RecordingObserver())
        guard case .stalled(_, let reason, _) = refused else { Issue.record("not refused: \(refused)"); return }
        #expect(reason == "GuardRefused")

        try store.archiveExecution()
        try store.createExecution(Local.execution("activate-1", phase: .activate, mode: .recovery))
        let activated = try await Local.runner(store, plan: plan, cloud: cloud).run(observer: RecordingObserver())
        #expect(activated.execution.status?.phase == .succeeded)
        #expect(FileManager.default.fileExists(atPath: store.historyPath + "/cleanup-1.yaml"))

        try store.archiveExecution()
        try store.createExecution(Local.execution("cleanup-2", phase: .cleanup, mode: .recovery))
        let cleaned = try await Local.runner(store, plan: plan, cloud: cloud).run(observer: RecordingObserver())
        #expect(cleaned.execution.status?.phase == .succeeded)
        #expect(try store.readPlanState().activeRegion == "us-west-2")
    }
}

/// An interrupt that arrives once some resource is in flight.
final class Interrupted: Sendable {
    private let fired = Mutex(false)

    func snapshot(whenInFlight store: StateDirectory) -> Interrupts.Snapshot {
        fired.withLock { fired in
            if !fired, let status = try? store.readExecution()?.status,
               status.layers?.flatMap(\.resources).contains(where: { $0.state == .inProgress }) == true {
                fired = true
            }
            return Interrupts.Snapshot(count: fired ? 1 : 0, signal: SIGINT)
        }
    }
}
