import TestSupport
import Engine
import EngineTesting
import LifeboatAPI
import Testing

/// Issue 3, point 4: random plans, random module behaviour, random annotations at random
/// steps and random crashes; the rules of `Invariants` must hold over every status written, and
/// every run must end. Each case is generated from its seed alone: a failure prints the seed,
/// and `Scenario(seed:)` replays it exactly.
@Suite struct PropertyTests {
    static let shards = 0..<6
    static let casesPerShard = 50  // 300 cases in all
    static let firstSeed: UInt64 = 0x5EED_0000

    @Test(arguments: shards)
    func everyRuleHoldsOverRandomRuns(shard: Int) async {
        var coverage = Coverage()
        for index in 0..<Self.casesPerShard {
            let seed = Self.firstSeed + UInt64(shard * Self.casesPerShard + index)
            let problems = await Self.check(Scenario(seed: seed), coverage: &coverage)
            #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5).joined(separator: " | "))")
        }
        // The cases really exercise what they claim to (per shard, so a shard alone proves it).
        #expect(coverage.gateWaits >= 5, "\(coverage)")
        #expect(coverage.pauses >= 5, "\(coverage)")
        #expect(coverage.cancels >= 2, "\(coverage)")
        #expect(coverage.crashes >= 10, "\(coverage)")
        #expect(coverage.retries >= 2, "\(coverage)")
        #expect(coverage.failFasts >= 5, "\(coverage)")
        #expect(coverage.adoptions >= 1, "\(coverage)")
    }

    /// What the cases of a shard covered.
    struct Coverage: CustomStringConvertible {
        var gateWaits = 0, pauses = 0, cancels = 0, crashes = 0, retries = 0, failFasts = 0, adoptions = 0, timeouts = 0

        mutating func record(_ driver: SimulationDriver) {
            let reasons = Set(driver.events.map(\.reason))
            if reasons.contains(.gateWaiting) { gateWaits += 1 }
            if reasons.contains(.paused) { pauses += 1 }
            if driver.events.contains(where: { $0.reason == .cancelled && $0.message.hasPrefix("cancel") }) { cancels += 1 }
            if driver.crashes > 0 { crashes += 1 }
            if reasons.contains(.retrying) { retries += 1 }
            if reasons.contains(.layerFailed) { failFasts += 1 }
            if driver.events.contains(where: { $0.reason == .resourceStarted && $0.message.contains("adopted") }) { adoptions += 1 }
            if driver.trace.contains(where: { $0.status.layers?.contains { $0.resources.contains { $0.errorCode == "TimedOut" } } == true }) {
                timeouts += 1
            }
        }

        var description: String {
            "gate waits \(gateWaits), pauses \(pauses), cancels \(cancels), crashes \(crashes), retries \(retries), fail-fasts \(failFasts), adoptions \(adoptions), timeouts \(timeouts)"
        }
    }

    /// Runs one scenario to its end and returns every rule it broke.
    static func check(_ scenario: Scenario, coverage: inout Coverage) async -> [String] {
        let cloud = SimulatedCloud(scripts: scenario.scripts)
        var driver = Fixtures.driver(scenario.execution, scenario.plan, cloud: cloud)
        var random = SeededGenerator(seed: scenario.seed ^ 0xA5A5_A5A5)
        var tokens = 0
        var outcome = SimulationDriver.Outcome.stepLimit
        var retries = 0
        repeat {
            if outcome == .finished(.failed) {
                retries += 1
                tokens += 1
                driver.annotate(LifeboatAnnotation.retry, "retry-\(tokens)")
            }
            outcome = await driver.run(maxSteps: 3_000, crashAt: scenario.crashAt,
                                       beforeStep: { driver, _ in scenario.poke(&driver, &random, tokens: &tokens) },
                                       intervene: { driver, _ in
                                           tokens += 1
                                           return driver.unblock(token: "person-\(tokens)")
                                       })
        } while outcome == .finished(.failed) && retries < 2 && random.chance(0.5)
        coverage.record(driver)

        var problems = Invariants.check(driver.trace, spec: scenario.execution.spec)
        guard case .finished(let phase) = outcome else { return problems + ["did not end: \(outcome)"] }
        problems += finalProblems(driver.stored.status!, phase: phase, cloud: cloud, retried: retries > 0 || driver.events.contains { $0.reason == .retrying })
        return problems
    }

    /// What must be true of a finished run.
    static func finalProblems(_ status: DRExecutionStatus, phase: ExecutionPhase, cloud: SimulatedCloud, retried: Bool) -> [String] {
        var problems: [String] = []
        let succeeded = status.condition(ConditionType.succeeded)?.status
        if succeeded != (phase == .succeeded ? .true : .false) { problems.append("\(phase) but Succeeded=\(succeeded.map { "\($0)" } ?? "-")") }
        if status.condition(ConditionType.reconciling)?.status != .false { problems.append("\(phase) but still Reconciling") }
        guard let layers = status.layers, let snapshot = status.plan?.snapshot else {
            // Only a cancel ends a run that was never admitted.
            return phase == .cancelled && status.plan == nil && cloud.startCalls.isEmpty ? problems : problems + ["\(phase) without running"]
        }
        let progress = status.progress
        if progress.map({ $0.succeeded + $0.failed + $0.skipped + $0.cancelled }) != layers.flatMap(\.resources).count {
            problems.append("finished with progress \(progress.map { "\($0)" } ?? "-")")
        }
        // A fail-fast failure stopped every later layer, and the run did not succeed.
        let planned = Dictionary(uniqueKeysWithValues: snapshot.allResources.map { ($0.name, $0) })
        if let failFast = layers.firstIndex(where: { $0.resources.contains { $0.state == .failed && planned[$0.name]?.onError == .fail } }) {
            if phase == .succeeded { problems.append("succeeded despite a fail-fast failure in layer \(layers[failFast].name)") }
            for later in layers[(failFast + 1)...] {
                for resource in later.resources where resource.state != .cancelled && resource.state != .skipped {
                    problems.append("\(resource.name) is \(resource.state) after a fail-fast failure in layer \(layers[failFast].name)")
                }
            }
        }
        // Nothing is abandoned in AWS, except an operation whose resource timed out (and says so).
        let byName = Dictionary(uniqueKeysWithValues: layers.flatMap(\.resources).map { ($0.name, $0) })
        for operation in cloud.operations where !operation.finished {
            let resource = byName[operation.resource]
            if resource?.state != .failed || resource?.errorCode != "TimedOut" {
                problems.append("operation \(operation.id) of \(operation.resource) left running (\(resource.map { "\($0.state)" } ?? "-"))")
            }
        }
        // Each module effect happened once per run (a retry may start a failed resource again),
        // and only for resources that execute.
        for (name, count) in cloud.effectsApplied {
            if byName[name]?.action != .execute { problems.append("\(name) (\(byName[name]?.action.map { "\($0)" } ?? "-")) applied an effect") }
            if count > 1, !retried { problems.append("\(name) applied its effect \(count) times") }
        }
        for resource in byName.values where resource.state == .succeeded && resource.action == .execute && cloud.effectsApplied[resource.name] == nil {
            problems.append("\(resource.name) succeeded without its effect")
        }
        return problems
    }

    /// Issue 3, point 4, "one active execution per plan": two executions of one plan, stepped
    /// in a random interleaving against one shared `PlanState`, with random annotations and
    /// crashes. At most one is ever admitted and not finished; the other waits as Pending /
    /// PlanBusy, then runs once the first has finished. Both always end.
    @Test func oneActiveExecutionPerPlanUnderRandomInterleavings() async {
        var busyWaits = 0, secondRuns = 0
        for index in 0..<40 {
            let seed = Self.firstSeed + 10_000 + UInt64(index)
            var random = SeededGenerator(seed: seed)
            let first = Scenario(seed: seed, name: "run-a", random: &random)
            let second = Scenario(plan: first, name: "run-b", random: &random)
            var pairs = [(first, Fixtures.driver(first.execution, first.plan, cloud: SimulatedCloud(scripts: first.scripts))),
                         (second, Fixtures.driver(second.execution, second.plan, cloud: SimulatedCloud(scripts: second.scripts)))]
            var shared = PlanState()
            var done = [false, false], retried = [false, false]
            var admittedOrder: [String] = []
            var problems: [String] = []
            var tokens = 0
            for _ in 0..<6_000 where done.contains(false) {
                // Either may step next; one that only waits for the plan steps less often (each
                // of its steps re-validates the plan and changes nothing).
                let busy = pairs.map { $0.1.stored.status?.condition(ConditionType.reconciling)?.reason == "PlanBusy" }
                let i = done[0] ? 1 : done[1] ? 0 : busy[0] != busy[1] ? (random.chance(0.8) == busy[0] ? 1 : 0) : random.int(0...1)
                pairs[i].0.poke(&pairs[i].1, &random, tokens: &tokens)
                pairs[i].1.planState = shared
                let outcome = await pairs[i].1.step(crashAt: pairs[i].0.crashAt)
                shared = pairs[i].1.planState
                switch outcome {
                case .finished(let phase):
                    // A failed run may be retried once; it then waits while the other holds the plan.
                    if phase == .failed, !retried[i], random.chance(0.3) {
                        retried[i] = true
                        pairs[i].1.annotate(LifeboatAnnotation.retry, "again")
                    } else {
                        done[i] = true
                    }
                case .idle(let reason):
                    tokens += 1
                    if !pairs[i].1.unblock(token: "person-\(tokens)") {
                        problems.append("\(pairs[i].0.execution.metadata.name!) waits for nothing a person can do: \(reason)")
                        done[i] = true
                    }
                case .progressed, .crashed:
                    break
                }
                // The rule itself, after every step of either execution.
                let admitted = pairs.map(\.1).filter { $0.stored.status?.plan != nil && !($0.stored.status?.phase?.isTerminal ?? true) }
                    .map { $0.stored.metadata.name! }
                if admitted.count > 1 { problems.append("both executions admitted at once") }
                if let holder = admitted.first {
                    if shared.activeExecution != holder { problems.append("\(holder) runs but the plan names \(shared.activeExecution ?? "nobody")") }
                    if admittedOrder.last != holder { admittedOrder.append(holder) }
                }
                // The one that just stepped, if the other holds the plan, waits as PlanBusy.
                let stepped = pairs[i].1.stored
                if let holder = shared.activeExecution, holder != stepped.metadata.name, stepped.status?.plan == nil,
                   stepped.status?.phase?.isTerminal != true {
                    if stepped.status?.phase != .pending || stepped.status?.condition(ConditionType.reconciling)?.reason != "PlanBusy" {
                        problems.append("\(stepped.metadata.name!) waits as \(stepped.status?.phase.map { "\($0)" } ?? "-") without PlanBusy")
                    } else {
                        busyWaits += 1
                    }
                }
            }
            for (scenario, driver) in pairs {
                let name = scenario.execution.metadata.name!
                if !(driver.stored.status?.phase?.isTerminal ?? false) { problems.append("\(name) did not end") }
                problems += Invariants.check(driver.trace, spec: scenario.execution.spec).map { "\(name): \($0)" }
                if driver.trace.contains(where: { !$0.effects.isEmpty }) && driver.stored.status?.plan == nil {
                    problems.append("\(name) ran effects without being admitted")
                }
            }
            if admittedOrder.count >= 2 { secondRuns += 1 }
            #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5).joined(separator: " | "))")
        }
        #expect(busyWaits >= 60)
        #expect(secondRuns >= 20)
    }
}

/// One random case: a plan, an execution of it, how every resource behaves in the (simulated)
/// cloud, where the process crashes, and which annotations a person may add along the way.
struct Scenario: Sendable {
    let seed: UInt64
    var plan: DRPlan
    var execution: DRExecution
    var scripts: [String: ResourceScript]
    var crashAt: Set<Int>
    /// Every gate the plan can have.
    var gateIDs: [String]

    init(seed: UInt64, name: String = "run-1") {
        var random = SeededGenerator(seed: seed)
        self.init(seed: seed, name: name, random: &random)
    }

    init(seed: UInt64, name: String, random: inout SeededGenerator) {
        self.seed = seed
        let modules: [ModuleName] = [.ec2, .autoScaling, .r53Record, .lambdaFunction]
        var layers: [Layer] = []
        var scripts: [String: ResourceScript] = [:]
        for l in 0..<random.int(1...4) {
            var resources: [Resource] = []
            for r in 0..<random.int(1...5) {
                let name = "l\(l)-r\(r)"
                let timeout: GoDuration? = random.chance(0.15) ? .seconds(Int64(random.int(20...90))) : nil
                resources.append(Fixtures.resource(name, random.pick(modules), onError: random.chance(0.3) ? .continue : .fail,
                                                   drill: random.pick([nil, nil, .execute, .validate, .skip] as [DrillBehaviour?]), timeout: timeout))
                scripts[name] = ResourceScript(
                    polls: random.int(0...3),
                    ending: random.chance(0.2) ? .fail(reason: "the operation failed", code: random.pick([nil, "InternalFailure"] as [String?])) : .succeed,
                    transientStartErrors: random.chance(0.3) ? random.int(1...2) : 0,
                    transientCheckErrors: random.chance(0.3) ? random.int(1...2) : 0,
                    permanentStartError: random.chance(0.08) ? "not authorized to perform this action" : nil,
                    preflightBlocks: random.chance(0.15),
                    pollHint: .seconds(Int64(random.int(1...20))))
            }
            layers.append(Layer(name: "layer\(l)", pauseBefore: random.chance(0.25), maxConcurrency: random.pick([0, 0, 1, 2, 3]),
                                resources: resources))
        }
        let approvals = ApprovalPolicy(phases: random.subset(Phase.allCases), drills: random.chance(0.5) ? .required : .automatic)
        plan = Fixtures.plan(layers, approvals: approvals)
        self.scripts = scripts
        gateIDs = [Gate.startID] + layers.filter(\.pauseBefore).map(\.gateID)
        crashAt = Set((0..<random.pick([0, 1, 2, 3, 4])).map { _ in random.int(1...50) })
        execution = Self.execution(name, plan: plan, gates: gateIDs, random: &random)
    }

    /// Another execution of the same plan (same cloud behaviour), with its own crashes.
    init(plan other: Scenario, name: String, random: inout SeededGenerator) {
        seed = other.seed
        plan = other.plan
        scripts = other.scripts
        gateIDs = other.gateIDs
        crashAt = Set((0..<random.pick([0, 1, 2])).map { _ in random.int(1...60) })
        execution = Self.execution(name, plan: plan, gates: gateIDs, random: &random)
    }

    private static func execution(_ name: String, plan: DRPlan, gates: [String], random: inout SeededGenerator) -> DRExecution {
        let phase = random.pick(Phase.allCases)
        let mode: ExecutionMode = random.chance(0.3) ? .recovery : .drill
        // A selection may name only resources that act in the phase (anything else is refused
        // before the run starts, EngineScenarioTests).
        let names = plan.spec.allResources.filter { resource in
            let descriptor = ModuleCatalog.descriptor(for: resource.module)
            let skipped = mode == .drill && (resource.drill ?? descriptor.drillDefault(for: phase)) == .skip
            return (resource.phases ?? descriptor.supportedPhases).contains(phase) && !skipped
        }.map(\.name)
        let selected = random.chance(0.1) ? random.subset(names) : []
        var annotations: [String: String] = [:]
        if random.chance(0.15) { annotations[LifeboatAnnotation.approve] = random.subset(gates).joined(separator: ",") }
        // No Recovery Activate has moved the plan, so the primary serves: a drill goes the
        // Failover way (a Failback drill would act in the serving region and is refused).
        let direction: Direction = mode == .recovery && random.chance(0.2) ? .failback : .failover
        return Fixtures.execution(name, phase: phase, mode: mode, direction: direction,
                                  resources: selected.isEmpty ? nil : selected,
                                  timeout: random.chance(0.1) ? .minutes(Int64(random.int(1...3))) : nil, annotations: annotations)
    }

    /// Before a step, now and then, a person annotates: approve or reject gates, pause, resume,
    /// cancel, retry, each with a fresh token.
    func poke(_ driver: inout SimulationDriver, _ random: inout SeededGenerator, tokens: inout Int) {
        guard random.chance(0.12) else { return }
        tokens += 1
        switch random.int(0...9) {
        case 0...2: _ = driver.approve(random.subset(gateIDs))
        case 3 where random.chance(0.3): driver.annotate(LifeboatAnnotation.reject, random.pick(gateIDs))
        case 4, 5: driver.annotate(LifeboatAnnotation.pause, "pause-\(tokens)")
        case 6, 7: driver.annotate(LifeboatAnnotation.resume, "resume-\(tokens)")
        case 8 where random.chance(0.6): driver.annotate(LifeboatAnnotation.cancel, "cancel-\(tokens)")
        case 9: driver.annotate(LifeboatAnnotation.retry, "retry-\(tokens)")
        default: break
        }
    }
}
