import Engine
import LifeboatAPI
import Testing
@testable import Operator

/// The small rules of the reconcilers that need no server.
@Suite struct ReconcilerRulesTests {
    func execution(phase: ExecutionPhase?, retry: String?, handled: String?, version: String = "1") -> DRExecution {
        var metadata = ObjectMeta(name: "run", namespace: "dr")
        metadata.resourceVersion = version
        if let retry { metadata.annotations = [LifeboatAnnotation.retry: retry] }
        var status = DRExecutionStatus()
        status.phase = phase
        if let handled { status.lastHandled = HandledRequests(retry: handled) }
        return DRExecution(metadata: metadata, spec: DRExecutionSpec(planRef: PlanReference(name: "p"), phase: .activate, mode: .drill),
                           status: status)
    }

    @Test func aFailedRunWithANewRetryTokenIsNotOver() {
        #expect(ExecutionReconciler.retryRequested(execution(phase: .failed, retry: "t1", handled: nil)))
        #expect(ExecutionReconciler.retryRequested(execution(phase: .failed, retry: "t2", handled: "t1")))
        #expect(!ExecutionReconciler.retryRequested(execution(phase: .failed, retry: "t1", handled: "t1")), "handled already")
        #expect(!ExecutionReconciler.retryRequested(execution(phase: .succeeded, retry: "t1", handled: nil)), "only Failed runs retry")
        #expect(!ExecutionReconciler.retryRequested(execution(phase: .failed, retry: nil, handled: nil)))
    }

    @Test func theNewestCopyIsTheOneWrittenWhileTheCacheLagsBehindIt() {
        let stale = execution(phase: .running, retry: nil, handled: nil, version: "10")
        let written = execution(phase: .running, retry: nil, handled: nil, version: "11")
        let annotatedLater = execution(phase: .running, retry: "x", handled: nil, version: "12")
        var entry = ExecutionMemory.Entry(driver: StepDriver(plan: nil, settings: EngineSettings()),
                                          executor: EffectExecutor(registry: ModuleRegistry()))
        #expect(entry.newest(stale).metadata.resourceVersion == "10", "nothing written yet: the cache is all there is")
        entry.wrote(written, over: stale)
        #expect(entry.newest(stale).metadata.resourceVersion == "11", "the cache still holds the version this process wrote over")
        #expect(entry.newest(written).metadata.resourceVersion == "11")
        #expect(entry.newest(annotatedLater).metadata.resourceVersion == "12", "a later change (a request) wins")
    }

    @Test func readinessJitterIsStablePerPlanAndAtMostTenPercent() {
        var plans: [GoDuration] = []
        for index in 0..<50 {
            var metadata = ObjectMeta(name: "plan-\(index)", namespace: "dr")
            metadata.uid = "uid-\(index)"
            let plan = DRPlan(metadata: metadata, spec: DRPlanSpec(regions: RegionPair(primary: "us-east-1", secondary: "us-west-2"), layers: []),
                              status: nil)
            let interval = PlanReconciler.jittered(.minutes(15), plan: plan)
            #expect(interval == PlanReconciler.jittered(.minutes(15), plan: plan))
            #expect(interval >= .minutes(15) && interval <= GoDuration(milliseconds: 15 * 60_000 * 11 / 10))
            plans.append(interval)
        }
        #expect(Set(plans).count > 40, "plans created together spread out")
    }

    @Test func theReadinessProbeActsTowardsTheStandbyAndIsNeverWritten() {
        var metadata = ObjectMeta(name: "shop", namespace: "dr")
        metadata.uid = "u"
        var plan = DRPlan(metadata: metadata, spec: DRPlanSpec(regions: RegionPair(primary: "us-east-1", secondary: "us-west-2"), layers: []),
                          status: nil)
        var probe = PlanReadiness.probe(of: plan, phase: .activate, direction: .failover, now: Timestamp(millisecondsSinceEpoch: 0))
        #expect(probe.status?.actingRegion == "us-west-2" && probe.status?.peerRegion == "us-east-1")
        #expect(probe.metadata.resourceVersion == nil)
        plan.status = DRPlanStatus()
        plan.status?.activeRegion = "us-west-2"
        probe = PlanReadiness.probe(of: plan, phase: .activate, direction: .failback, now: Timestamp(millisecondsSinceEpoch: 0))
        #expect(probe.status?.actingRegion == "us-east-1", "after a failover the standby is the old primary")
    }
}
