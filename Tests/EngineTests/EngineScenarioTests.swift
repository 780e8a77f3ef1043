import Engine
import EngineTesting
import LifeboatAPI
import Testing

@Suite struct EngineScenarioTests {
    let twoLayers = Fixtures.plan([
        Layer(name: "data", resources: [Fixtures.resource("db-a"), Fixtures.resource("db-b")]),
        Layer(name: "app", resources: [Fixtures.resource("api"), Fixtures.resource("web")]),
    ])

    @Test func aDrillRunsLayersInOrderAndEveryEffectOnce() async {
        let cloud = SimulatedCloud(scripts: ["db-a": ResourceScript(polls: 3)])
        var driver = Fixtures.driver(Fixtures.execution(), twoLayers, cloud: cloud)
        #expect(await driver.run() == .finished(.succeeded))
        let status = driver.stored.status!
        #expect(cloud.effectsApplied == ["db-a": 1, "db-b": 1, "api": 1, "web": 1])
        #expect(status.progress == Progress(total: 4, succeeded: 4))
        #expect(status.layer("data")!.completionTime! <= status.layer("app")!.startTime!)
        #expect(status.condition(ConditionType.succeeded)?.status == .true)
        #expect(status.condition(ConditionType.reconciling)?.status == .false)
        #expect(status.actingRegion == "us-west-2" && status.peerRegion == "us-east-1")
        #expect(status.plan?.snapshotHash?.hasPrefix("sha256:") == true)
        let reasons = driver.events.map(\.reason)
        #expect(reasons.first == .executionStarted && reasons.last == .executionSucceeded)
        #expect(reasons.filter { $0 == .layerStarted }.count == 2)
        #expect(driver.planState.activeExecution == nil)
        #expect(driver.planState.lastExecutions.map(\.result) == [.succeeded])
    }

    @Test func theStartGateWaitsForApprovalAndRecordsWho() async {
        let plan = Fixtures.plan(twoLayers.spec.layers, approvals: ApprovalPolicy())
        let cloud = SimulatedCloud()
        var driver = Fixtures.driver(Fixtures.execution(phase: .activate, mode: .recovery), plan, cloud: cloud)
        let outcome = await driver.run()
        guard case .waiting(let why) = outcome else { Issue.record("did not wait: \(outcome) \(driver.events)"); return }
        #expect(why.contains("gate start"))
        #expect(driver.stored.status?.phase == .awaitingApproval)
        #expect(cloud.startCalls.isEmpty)
        driver.annotate(LifeboatAnnotation.approvedBy, "alice")
        driver.annotate(LifeboatAnnotation.approve, "start")
        #expect(await driver.run() == .finished(.succeeded))
        let gate = driver.stored.status?.gates?.first
        #expect(gate?.state == .approved && gate?.decidedBy == "alice")
        #expect(driver.planState.activeRegion == "us-west-2")
    }

    @Test func preApprovalAndLayerGates() async {
        var layers = twoLayers.spec.layers
        layers[1].pauseBefore = true
        let plan = Fixtures.plan(layers, approvals: ApprovalPolicy())
        var driver = Fixtures.driver(Fixtures.execution(phase: .activate, mode: .recovery,
                                                        annotations: [LifeboatAnnotation.approve: "start, layer-app"]),
                                     plan, cloud: SimulatedCloud())
        #expect(await driver.run() == .finished(.succeeded))
        #expect(driver.stored.status?.gates?.map(\.id) == ["start", "layer-app"])
    }

    @Test func aRejectedGateCancelsTheRun() async {
        var layers = twoLayers.spec.layers
        layers[1].pauseBefore = true
        let cloud = SimulatedCloud()
        var driver = Fixtures.driver(Fixtures.execution(), Fixtures.plan(layers), cloud: cloud)
        _ = await driver.run()
        #expect(driver.stored.status?.phase == .awaitingApproval)
        #expect(driver.stored.status?.currentLayer == "app")
        driver.annotate(LifeboatAnnotation.reject, "layer-app")
        #expect(await driver.run() == .finished(.cancelled))
        let status = driver.stored.status!
        #expect(status.condition(ConditionType.succeeded)?.reason == "Rejected")
        #expect(status.resource("api")?.state == .cancelled)
        #expect(cloud.effectsApplied["api"] == nil)
    }

    @Test func failFastStopsLaterLayersAndRetryRerunsOnlyWhatFailed() async {
        let cloud = SimulatedCloud(scripts: ["db-b": ResourceScript(ending: .fail(reason: "instance failed", code: "InstanceFailed"))])
        var driver = Fixtures.driver(Fixtures.execution(), twoLayers, cloud: cloud)
        #expect(await driver.run() == .finished(.failed))
        var status = driver.stored.status!
        #expect(status.resource("db-b")?.errorCode == "InstanceFailed")
        #expect(status.resource("api")?.state == .cancelled)
        #expect(status.layer("data")?.state == .failed && status.layer("app")?.state == .cancelled)
        #expect(driver.events.contains { $0.reason == .resourceFailed && $0.message.contains("[InstanceFailed]") })

        driver.annotate(LifeboatAnnotation.retry, "1")
        #expect(await driver.run() == .finished(.failed))  // the scripted resource fails again
        status = driver.stored.status!
        #expect(status.lastHandled?.retry == "1")
        #expect(cloud.effectsApplied["db-a"] == 1)
        #expect(cloud.effectsApplied["db-b"] == 2)
    }

    @Test func continueRecordsTheFailureAndCarriesOn() async {
        let plan = Fixtures.plan([
            Layer(name: "data", resources: [Fixtures.resource("db-a"), Fixtures.resource("cache", onError: .continue)]),
            Layer(name: "app", resources: [Fixtures.resource("api")]),
        ])
        let cloud = SimulatedCloud(scripts: ["cache": ResourceScript(ending: .fail(reason: "no capacity", code: nil))])
        var driver = Fixtures.driver(Fixtures.execution(), plan, cloud: cloud)
        #expect(await driver.run() == .finished(.succeeded))
        let status = driver.stored.status!
        #expect(status.condition(ConditionType.succeeded)?.reason == "SucceededWithFailures")
        #expect(status.resource("api")?.state == .succeeded)
        #expect(status.progress?.failed == 1)
    }

    @Test func transientErrorsBackOffAndCount() async {
        let cloud = SimulatedCloud(scripts: ["db-a": ResourceScript(transientStartErrors: 3, transientCheckErrors: 2)])
        var driver = Fixtures.driver(Fixtures.execution(), twoLayers, cloud: cloud)
        let start = driver.now
        #expect(await driver.run() == .finished(.succeeded))
        #expect(cloud.startCalls["db-a"] == 4)
        #expect(cloud.effectsApplied["db-a"] == 1)
        #expect(driver.stored.status?.resource("db-a")?.attempts == 4)  // every start counts, retries included
        #expect(driver.now.milliseconds(since: start) >= 1_000 + 2_000 + 4_000)  // at least base·(1+2+4)/2 with jitter ≥ ½
        #expect(driver.events.filter { $0.reason == .resourceRetrying }.count == 5)
    }

    @Test func pauseTracksInFlightWorkThenStops() async {
        let cloud = SimulatedCloud(scripts: ["db-a": ResourceScript(polls: 4)])
        var driver = Fixtures.driver(Fixtures.execution(), twoLayers, cloud: cloud)
        let outcome = await driver.run(beforeStep: { driver, step in
            if step == 2 { driver.annotate(LifeboatAnnotation.pause, "p1") }
        })
        guard case .waiting = outcome else { Issue.record("expected to wait paused, got \(outcome)"); return }
        var status = driver.stored.status!
        #expect(status.phase == .paused)
        #expect(status.resource("db-a")?.state == .succeeded)
        #expect(status.resource("api")?.state == .pending)
        #expect(status.condition(ConditionType.paused)?.status == .true)
        driver.annotate(LifeboatAnnotation.resume, "r1")
        #expect(await driver.run() == .finished(.succeeded))
        status = driver.stored.status!
        #expect(status.lastHandled == HandledRequests(pause: "p1", resume: "r1"))
    }

    @Test func cancelLetsInFlightWorkFinish() async {
        let cloud = SimulatedCloud(scripts: ["db-a": ResourceScript(polls: 3)])
        var driver = Fixtures.driver(Fixtures.execution(), twoLayers, cloud: cloud)
        let outcome = await driver.run(beforeStep: { driver, step in
            if step == 2 { driver.annotate(LifeboatAnnotation.cancel, "c1") }
        })
        #expect(outcome == .finished(.cancelled))
        let status = driver.stored.status!
        #expect(status.resource("db-a")?.state == .succeeded)
        #expect(status.resource("api")?.state == .cancelled)
        #expect(cloud.operations.allSatisfy { $0.finished })
    }

    @Test func aResourceTimesOutButItsOperationIsNotForgotten() async {
        let plan = Fixtures.plan([Layer(name: "data", resources: [Fixtures.resource("slow", timeout: .seconds(30))])])
        let cloud = SimulatedCloud(scripts: ["slow": ResourceScript(polls: 100, pollHint: .seconds(10))])
        var driver = Fixtures.driver(Fixtures.execution(), plan, cloud: cloud)
        #expect(await driver.run() == .finished(.failed))
        let resource = driver.stored.status!.resource("slow")!
        #expect(resource.errorCode == "TimedOut")
        #expect(resource.message?.contains("may still be running") == true)
        #expect(resource.checkpoint != nil)
    }

    /// A retried resource gets its whole timeout again (its clock starts at the retry), and
    /// its start adopts the operation the timed-out attempt left running.
    @Test func aRetriedResourceGetsAFreshTimeout() async {
        let plan = Fixtures.plan([Layer(name: "data", resources: [Fixtures.resource("slow", timeout: .seconds(30))])])
        let cloud = SimulatedCloud(scripts: ["slow": ResourceScript(polls: 5, pollHint: .seconds(10))])
        var driver = Fixtures.driver(Fixtures.execution(), plan, cloud: cloud)
        #expect(await driver.run() == .finished(.failed))
        #expect(driver.stored.status!.resource("slow")?.errorCode == "TimedOut")
        let retriedAt = driver.now
        driver.annotate(LifeboatAnnotation.retry, "1")
        #expect(await driver.run() == .finished(.succeeded))
        #expect(driver.stored.status!.resource("slow")!.startTime! >= retriedAt)
        #expect(cloud.effectsApplied == ["slow": 1])
    }

    @Test func validateDrillsOnlyRunThePreflight() async {
        let plan = Fixtures.plan([Layer(name: "dns", resources: [Fixtures.resource("api-dns", .r53Record)])])
        let cloud = SimulatedCloud()
        var driver = Fixtures.driver(Fixtures.execution(phase: .activate), plan, cloud: cloud)
        #expect(await driver.run() == .finished(.succeeded))
        #expect(cloud.preflights == ["api-dns": 1])
        #expect(cloud.startCalls.isEmpty)
        #expect(driver.stored.status?.resource("api-dns")?.action == .validate)
    }

    @Test func oneActiveExecutionPerPlan() async {
        let cloud = SimulatedCloud()
        var driver = Fixtures.driver(Fixtures.execution("run-2"), twoLayers, cloud: cloud,
                                     planState: PlanState(activeExecution: "run-1"))
        let outcome = await driver.run(maxSteps: 3)
        #expect(outcome == .stepLimit)
        #expect(driver.stored.status?.phase == .pending)
        #expect(driver.stored.status?.condition(ConditionType.reconciling)?.reason == "PlanBusy")
        #expect(cloud.startCalls.isEmpty)
    }

    /// A run that never started (the plan is busy, a guard refused it) can still be
    /// cancelled: it ends at once, without claiming the plan or entering the plan's history.
    @Test func aPendingExecutionCanBeCancelled() async {
        let history = [LastExecution(phase: .activate, mode: .recovery, name: "earlier", direction: .failover,
                                     result: .succeeded, completionTime: Timestamp(secondsSinceEpoch: 1))]
        var busy = Fixtures.driver(Fixtures.execution("run-2", phase: .activate, mode: .recovery), twoLayers, cloud: SimulatedCloud(),
                                   planState: PlanState(activeExecution: "run-1", lastExecutions: history, activeRegion: "us-west-2"))
        #expect(await busy.run(maxSteps: 2) == .stepLimit)
        busy.annotate(LifeboatAnnotation.cancel, "c1")
        #expect(await busy.run(maxSteps: 2) == .finished(.cancelled))
        #expect(busy.planState == PlanState(activeExecution: "run-1", lastExecutions: history, activeRegion: "us-west-2"))
        #expect(busy.stored.status?.plan == nil && busy.stored.status?.lastHandled?.cancel == "c1")
        #expect(busy.stored.status?.condition(ConditionType.succeeded)?.reason == "Cancelled")

        // A second failover, refused by the guard, then cancelled rather than overridden.
        busy.planState.activeExecution = nil
        var refused = Fixtures.driver(Fixtures.execution("run-3", phase: .activate, mode: .recovery), twoLayers, cloud: SimulatedCloud(),
                                      planState: busy.planState)
        guard case .waiting = await refused.run() else { Issue.record("the guard did not hold"); return }
        refused.annotate(LifeboatAnnotation.cancel, "c1")
        #expect(await refused.run() == .finished(.cancelled))
        #expect(refused.stored.status?.condition(ConditionType.stalled)?.status == .false)
        #expect(refused.planState.lastExecutions == history)
        #expect(refused.events.map(\.reason) == [.guardRefused, .cancelled])
    }

    @Test func recoveryCleanupNeedsAnActivateFirstUnlessOverridden() async {
        var driver = Fixtures.driver(Fixtures.execution(phase: .cleanup, mode: .recovery), twoLayers, cloud: SimulatedCloud())
        guard case .waiting = await driver.run() else { Issue.record("guard did not hold"); return }
        #expect(driver.stored.status?.condition(ConditionType.stalled)?.reason == "GuardRefused")
        #expect(driver.events.filter { $0.reason == .guardRefused }.count == 1)
        driver.annotate(LifeboatAnnotation.overrideGuards, "primary region lost; cleaning up by hand-verified state")
        #expect(await driver.run() == .finished(.succeeded))
        #expect(driver.stored.status?.guardOverride?.reason.hasPrefix("primary region lost") == true)
    }

    @Test func aSecondFailoverIsRefused() async {
        let state = PlanState(lastExecutions: [LastExecution(phase: .activate, mode: .recovery, name: "earlier", direction: .failover,
                                                             result: .succeeded, completionTime: Timestamp(secondsSinceEpoch: 1))],
                              activeRegion: "us-west-2")
        var driver = Fixtures.driver(Fixtures.execution(phase: .activate, mode: .recovery), twoLayers, cloud: SimulatedCloud(),
                                     planState: state)
        guard case .waiting = await driver.run() else { Issue.record("failed over twice"); return }
        #expect(driver.stored.status?.condition(ConditionType.stalled)?.message.contains("fail over twice") == true)
    }

    @Test func anInvalidPlanStallsWithEveryProblem() async {
        var plan = twoLayers
        plan.spec.layers[1].resources[0].name = "db-a"
        var driver = Fixtures.driver(Fixtures.execution(), plan, cloud: SimulatedCloud())
        guard case .waiting = await driver.run() else { Issue.record("ran an invalid plan"); return }
        let stalled = driver.stored.status?.condition(ConditionType.stalled)
        #expect(stalled?.status == .true && stalled?.reason == "InvalidPlan")
        #expect(stalled?.message.contains("duplicate resource name") == true)
    }

    @Test func theStepIsPure() {
        let input = EngineInput(execution: Fixtures.execution(), plan: twoLayers, now: Timestamp(secondsSinceEpoch: 100))
        let first = Engine.step(input), second = Engine.step(input)
        #expect(first.status == second.status && first.effects == second.effects && first.events == second.events)
    }
}

extension EngineScenarioTests {
    @Test func aRetryTokenSentBeforeAFailureIsIgnored() async {
        let plan = Fixtures.plan([Layer(name: "data", resources: [Fixtures.resource("db-a")])])
        let cloud = SimulatedCloud(scripts: ["db-a": ResourceScript(polls: 2, ending: .fail(reason: "broken", code: nil))])
        var driver = Fixtures.driver(Fixtures.execution(annotations: [LifeboatAnnotation.retry: "early"]), plan, cloud: cloud)
        #expect(await driver.run() == .finished(.failed))
        #expect(driver.stored.status?.lastHandled?.retry == "early")
        #expect(cloud.effectsApplied["db-a"] == 1)
        #expect(driver.events.contains { $0.reason == .retrying && $0.message.contains("ignored") })
    }
}
