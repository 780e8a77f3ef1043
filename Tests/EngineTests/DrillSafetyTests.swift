import Engine
import EngineTesting
import LifeboatAPI
import Testing

/// Issue 11: a drill never acts in the serving region, and the guards count only what happened.
/// Each test here failed on the engine before the fix (the acting region followed the phase
/// only, drill defaults were one per module, and an Activate that ran nothing still counted).
@Suite struct DrillSafetyTests {
    let plan = Fixtures.plan([
        Layer(name: "data", resources: [Fixtures.resource("db", .auroraMySQL)]),
        Layer(name: "app", resources: [Fixtures.resource("web"), Fixtures.resource("asg", .autoScaling)]),
    ])

    /// Every drill phase acts in the standby (the secondary, going the Failover way) and has the
    /// serving primary as its read-only peer; a Recovery Cleanup still acts in the old primary.
    @Test(arguments: Phase.allCases)
    func everyDrillPhaseActsInTheStandby(phase: Phase) async {
        var driver = Fixtures.driver(Fixtures.execution(phase: phase, mode: .drill), plan, cloud: SimulatedCloud())
        _ = await driver.run()
        #expect(driver.stored.status?.actingRegion == "us-west-2")
        #expect(driver.stored.status?.peerRegion == "us-east-1")
        let regions = ActingRegions(plan: plan.spec.regions, phase: phase, direction: .failover, mode: .recovery)
        #expect(regions.acting == (phase == .cleanup ? "us-east-1" : "us-west-2"))
    }

    @Test func aFailbackDrillWhileThePrimaryServesIsRefusedWithoutOverride() async {
        let cloud = SimulatedCloud()
        var driver = Fixtures.driver(Fixtures.execution(phase: .cleanup, mode: .drill, direction: .failback,
                                                        annotations: [LifeboatAnnotation.overrideGuards: "please"]),
                                     plan, cloud: cloud)
        guard case .waiting = await driver.run() else { Issue.record("a drill acted in the serving region"); return }
        let stalled = driver.stored.status?.condition(ConditionType.stalled)
        #expect(stalled?.reason == "GuardRefused")
        #expect(stalled?.message == "us-east-1 serves plan payments (no Recovery Activate has moved it), and a Failback drill would act there; a drill acts only in the standby region: run a Failover drill instead")
        #expect(cloud.startCalls.isEmpty && cloud.preflights.isEmpty)
    }

    @Test func afterAFailoverTheDrillGoesTheFailbackWay() async {
        let state = PlanState(lastExecutions: [LastExecution(phase: .activate, mode: .recovery, name: "failover", direction: .failover,
                                                             result: .succeeded, completionTime: Timestamp(secondsSinceEpoch: 1))],
                              activeRegion: "us-west-2")
        var refused = Fixtures.driver(Fixtures.execution(phase: .instantiate, mode: .drill), plan, cloud: SimulatedCloud(), planState: state)
        guard case .waiting = await refused.run() else { Issue.record("a Failover drill acted in us-west-2, which serves"); return }
        #expect(refused.stored.status?.condition(ConditionType.stalled)?.message.contains("us-west-2 serves plan payments since the last Recovery Activate") == true)

        var failback = Fixtures.driver(Fixtures.execution(phase: .instantiate, mode: .drill, direction: .failback), plan,
                                       cloud: SimulatedCloud(), planState: state)
        #expect(await failback.run() == .finished(.succeeded))
        #expect(failback.stored.status?.actingRegion == "us-east-1" && failback.stored.status?.peerRegion == "us-west-2")
    }

    /// Creating standby readers is harmless, the switchover is not: Aurora executes in a drill's
    /// Instantiate and Cleanup and only validates in its Activate.
    @Test func drillDefaultsArePerPhase() async {
        for (phase, expected) in [(Phase.instantiate, DrillBehaviour.execute), (.activate, .validate), (.cleanup, .execute)] {
            var driver = Fixtures.driver(Fixtures.execution(phase: phase, mode: .drill), plan, cloud: SimulatedCloud())
            #expect(await driver.run() == .finished(.succeeded))
            #expect(driver.stored.status?.resource("db")?.action == expected, "\(phase)")
        }
    }

    /// Drill Replicate validates only, even a resource that says `drill: Execute`.
    @Test func aDrillReplicateOnlyValidates() async {
        let plan = Fixtures.plan([Layer(name: "fn", resources: [Fixtures.resource("warm", .lambdaFunction, drill: .execute)])])
        let cloud = SimulatedCloud()
        var driver = Fixtures.driver(Fixtures.execution(phase: .replicate, mode: .drill), plan, cloud: cloud)
        #expect(await driver.run() == .finished(.succeeded))
        #expect(driver.stored.status?.resource("warm")?.action == .validate)
        #expect(cloud.startCalls.isEmpty && cloud.preflights == ["warm": 1])
    }

    /// The trial's defect: a Recovery Activate in which nothing acted recorded `activeRegion` and
    /// unlocked a Recovery Cleanup of the region that still served.
    @Test func aRecoveryActivateThatActedOnNothingDoesNotCount() async {
        let plan = Fixtures.plan([Layer(name: "app", resources: [Fixtures.resource("asg", .autoScaling)])])
        // AutoScaling does not run in Activate: every resource is skipped.
        var activate = Fixtures.driver(Fixtures.execution("activate", phase: .activate, mode: .recovery), plan, cloud: SimulatedCloud())
        #expect(await activate.run() == .finished(.succeeded))
        #expect(activate.planState.activeRegion == nil)
        #expect(activate.planState.lastExecutions.isEmpty)
        #expect(activate.stored.status?.condition(ConditionType.succeeded)?.message
                == "all resources finished; no resource acted, so this run does not count for the phase order or the serving region")

        var cleanup = Fixtures.driver(Fixtures.execution("cleanup", phase: .cleanup, mode: .recovery), plan, cloud: SimulatedCloud(),
                                      planState: activate.planState)
        guard case .waiting = await cleanup.run() else { Issue.record("Cleanup of the serving region was unlocked"); return }
        #expect(cleanup.stored.status?.condition(ConditionType.stalled)?.reason == "GuardRefused")
    }

    /// A selection naming a resource that does not act in the phase is refused before anything
    /// starts (it used to run nothing and succeed).
    @Test func aSelectionOfAResourceThatDoesNotActIsRefused() async {
        let cloud = SimulatedCloud()
        var driver = Fixtures.driver(Fixtures.execution(phase: .activate, mode: .recovery, resources: ["asg"]), plan, cloud: cloud)
        guard case .waiting = await driver.run() else { Issue.record("ran a selection that does nothing"); return }
        let stalled = driver.stored.status?.condition(ConditionType.stalled)
        #expect(stalled?.reason == "InvalidPlan")
        #expect(stalled?.message.contains("spec.resources[0]: resource asg (AutoScaling) does not run in phase Activate; it runs in Instantiate, Cleanup") == true)
        #expect(cloud.startCalls.isEmpty)
    }

    @Test func theGuardMessageSaysHowToOverrideWhereTheRunIs() async {
        var inCluster = Fixtures.driver(Fixtures.execution(phase: .cleanup, mode: .recovery), plan, cloud: SimulatedCloud())
        _ = await inCluster.run()
        #expect(inCluster.stored.status?.condition(ConditionType.stalled)?.message
                == "Cleanup in Recovery needs a succeeded Failover Activate first; if you are sure, annotate the execution with the reason: kubectl annotate drx -n dr run-1 lifeboat.dev/override-guards=\"<why>\"")
    }
}
