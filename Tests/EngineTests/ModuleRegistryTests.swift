import Engine
import EngineTesting
import LifeboatAPI
import Testing

/// Issue 11: a run needs only the modules of the resources it calls, so `--resources` (or
/// `spec.resources`) runs the available modules of a plan that also names one this build lacks.
/// The old check asked for every module the plan named, whatever the selection and phase.
@Suite struct ModuleRegistryTests {
    let plan = Fixtures.plan([
        Layer(name: "data", resources: [Fixtures.resource("db", .lambdaFunction)]),
        Layer(name: "app", resources: [Fixtures.resource("web"), Fixtures.resource("asg", .autoScaling)]),
    ]).spec
    /// Runs EC2 and AutoScaling only.
    let registry: ModuleRegistry = {
        let all = SimulatedModule.registry(cloud: SimulatedCloud())
        return ModuleRegistry([ModuleName.ec2, .autoScaling].compactMap { all[$0] })
    }()

    @Test func aSelectionOfAvailableModulesNeedsNothingMore() {
        let spec = Fixtures.execution(phase: .instantiate, mode: .recovery, resources: ["web", "asg"]).spec
        #expect(registry.missing(for: plan, running: spec).isEmpty)
    }

    @Test func theWholePlanNamesTheMissingModuleAndWhoNeedsIt() {
        let spec = Fixtures.execution(phase: .instantiate, mode: .recovery).spec
        let missing = registry.missing(for: plan, running: spec)
        #expect(missing.map(\.module) == [.lambdaFunction] && missing.map(\.resources) == [["db"]])
    }

    @Test func resourcesIdleInThePhaseOrSkippedInADrillNeedNoModule() {
        // AutoScaling does not run in Activate; a drill skips a resource that says so.
        var skipping = plan
        skipping.layers[0].resources[0].drill = .skip
        let drill = Fixtures.execution(phase: .instantiate, mode: .drill).spec
        #expect(registry.missing(for: skipping, running: drill).isEmpty)
        // A build with EC2 alone: the AutoScaling resource, idle in Activate, asks for nothing.
        let all = SimulatedModule.registry(cloud: SimulatedCloud())
        let ec2Only = ModuleRegistry([all[.ec2]].compactMap { $0 })
        let activate = Fixtures.execution(phase: .activate, mode: .drill).spec
        #expect(ec2Only.missing(for: skipping, running: activate).isEmpty)
        #expect(ec2Only.missing(for: skipping, running: drill).map(\.module) == [.autoScaling])
    }
}
