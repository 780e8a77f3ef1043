import Engine
import LifeboatAPI
import Synchronization
import Testing
import YAML

/// Issue 12, item 5: module calls are bounded per process, and a module's deadline is real.
@Suite struct EffectExecutorTests {
    /// Counts calls in flight and remembers the most seen at once, and each call's deadline.
    final class Recorder: Sendable {
        struct State { var inFlight = 0, most = 0, starts = 0; var deadlines: [String: Timestamp] = [:] }
        let state = Mutex(State())
    }

    struct CountingModule: DRModule {
        let descriptor = ModuleCatalog.descriptor(for: .ec2)
        let recorder: Recorder

        func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport { PreflightReport(findings: []) }
        func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
            recorder.state.withLock {
                $0.inFlight += 1
                $0.most = max($0.most, $0.inFlight)
                $0.starts += 1
                $0.deadlines[context.resourceName] = context.deadline
            }
            for _ in 0..<5 { await Task.yield() }
            recorder.state.withLock { $0.inFlight -= 1 }
            return StartResult(checkpoint: ["id": .string(context.resourceName)])
        }
        func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult { .succeeded(message: "done") }
    }

    static let start = Timestamp(secondsSinceEpoch: 1_800_000_000)

    /// The first step of a 40-resource layer: 40 starts with their intent recorded.
    static func firstStep(timeout: GoDuration? = nil, resourceTimeout: GoDuration? = nil) -> (DRExecution, StepResult) {
        let plan = Fixtures.plan([Layer(name: "wide", resources: (0..<40).map { Fixtures.resource("vm-\($0)", timeout: resourceTimeout) })])
        var execution = Fixtures.execution(timeout: timeout)
        let result = Engine.step(EngineInput(execution: execution, plan: plan, now: start))
        execution.status = result.status
        return (execution, result)
    }

    @Test func aBatchNeverHasMoreModuleCallsInFlightThanTheProcessCap() async {
        let (execution, step) = Self.firstStep()
        #expect(step.effects.count == 40)
        let recorder = Recorder()
        let executor = EffectExecutor(registry: ModuleRegistry([CountingModule(recorder: recorder)]),
                                      limit: ConcurrencyLimit(3))
        let observations = await executor.run(step.effects, for: execution, status: step.status)
        #expect(observations.map(\.resource) == step.effects.map(\.resource))  // in effect order
        let state = recorder.state.withLock { $0 }
        #expect(state.starts == 40)
        #expect(state.most <= 3)
        #expect(executor.limit.held == 0)
    }

    @Test func theDeadlineIsTheResourcesTimeoutOrTheRunsIfEarlier() async {
        let recorder = Recorder()
        let registry = ModuleRegistry([CountingModule(recorder: recorder)])
        let (own, ownStep) = Self.firstStep(resourceTimeout: .minutes(10))
        _ = await EffectExecutor(registry: registry).run(ownStep.effects[0], for: own, status: ownStep.status)
        #expect(recorder.state.withLock { $0.deadlines["vm-0"] } == Self.start.adding(.minutes(10)))

        let (capped, cappedStep) = Self.firstStep(timeout: .minutes(3), resourceTimeout: .minutes(10))
        _ = await EffectExecutor(registry: registry).run(cappedStep.effects[1], for: capped, status: cappedStep.status)
        #expect(recorder.state.withLock { $0.deadlines["vm-1"] } == Self.start.adding(.minutes(3)))
    }

    @Test func noStartIsSentAfterItsDeadline() async {
        let recorder = Recorder()
        let (execution, step) = Self.firstStep(resourceTimeout: .minutes(10))
        let late = Self.start.adding(.minutes(11))
        let executor = EffectExecutor(registry: ModuleRegistry([CountingModule(recorder: recorder)]),
                                      clock: { late })
        let observation = await executor.run(step.effects[0], for: execution, status: step.status)
        #expect(recorder.state.withLock { $0.starts } == 0)
        guard case .failed(let error) = observation.outcome else {
            Issue.record("expected a failure, got \(observation.outcome)")
            return
        }
        #expect(error.kind == .permanent && error.code == "TimedOut")
        #expect(error.message.hasPrefix("not started: the deadline"))
    }
}
