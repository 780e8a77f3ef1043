import Engine
import EngineTesting
import LifeboatAPI
import Testing
import YAML

/// A check may refine the checkpoint (DRS records per-server results as its polls learn them);
/// the engine keeps the newest one in status, and a check that returns none keeps the last.
@Suite struct CheckpointRefinementTests {
    /// Counts polls; the second one records what it learned, the fourth finishes with the results.
    final class CountingModule: DRModule, @unchecked Sendable {
        let descriptor = ModuleCatalog.descriptor(for: .ec2)
        private var polls = 0
        private(set) var checkpointsSeen: [JSONValue] = []

        func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport { PreflightReport(findings: []) }

        func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
            StartResult(checkpoint: ["servers": ["a": "PENDING"]], message: "started")
        }

        func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
            checkpointsSeen.append(checkpoint)
            polls += 1
            switch polls {
            case 2: return .inProgress(message: "a launching", nextPoll: .seconds(1), checkpoint: ["servers": ["a": "IN_PROGRESS"]])
            case 4: return .succeeded(message: "a launched", checkpoint: ["servers": ["a": "LAUNCHED"], "instance": "i-1"])
            default: return .inProgress(message: "waiting", nextPoll: .seconds(1))
            }
        }
    }

    @Test func theNewestCheckpointIsKeptAndHandedToTheNextPoll() async {
        let module = CountingModule()
        let plan = Fixtures.plan([Layer(name: "app", resources: [Fixtures.resource("web")])])
        var driver = SimulationDriver(execution: Fixtures.execution(), plan: plan,
                                      executor: EffectExecutor(registry: ModuleRegistry([module])))
        #expect(await driver.run() == .finished(.succeeded))
        #expect(module.checkpointsSeen == [
            ["servers": ["a": "PENDING"]],
            ["servers": ["a": "PENDING"]],
            ["servers": ["a": "IN_PROGRESS"]],
            ["servers": ["a": "IN_PROGRESS"]],
        ])
        let resource = driver.stored.status?.resource("web")
        #expect(resource?.checkpoint == ["servers": ["a": "LAUNCHED"], "instance": "i-1"])
        #expect(resource?.message == "a launched")
    }
}
