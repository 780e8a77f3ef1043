#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import EngineTesting
import LifeboatAPI
import LocalStore
import Logging
import YAML

/// `drctl run`: break-glass DR. Drives the same Engine as the operator, with a state directory
/// instead of a cluster (docs/break-glass.md).
enum RunCommand: Command {
    static let name = "run"
    static let summary = "Run a DR phase without a cluster (break-glass mode); resumable from its state directory."
    static let synopsis = "run -f PLAN --phase PHASE --mode Drill|Recovery [--direction D] [--state-dir DIR] [--approve GATES] [--yes] [--simulate …]"
    static let details = """
        Runs one phase of a DRPlan here, with this machine's AWS access, when the cluster that
        normally runs Lifeboat is unavailable. Every transition is written to the state directory
        (atomically) before anything is done, so a run that is killed continues where it stopped
        when started again with the same directory. This release runs all 13 modules against
        AWS; rehearse any plan with --simulate.

        AWS access: the standard credential chain (environment, web identity, profile,
        container, instance metadata) and endpoints (AWS_REGION, AWS_ENDPOINT_URL,
        AWS_ENDPOINT_URL_<SERVICE>). Each resource acts in its account through the plan's role
        (spec.accounts.roleName) with --external-id or $LIFEBOAT_EXTERNAL_ID; parameter
        references are resolved there, in the acting region.

        Gates: on a terminal you are asked (y/N); otherwise the run waits for
        `drctl approve --state-dir DIR GATE` from another shell. --approve pre-approves, --yes
        approves every gate. Ctrl-C (or SIGTERM) once requests a cancel and waits for the work in
        flight; twice stops at once, leaving the state directory resumable.

        --simulate rehearses with simulated modules: no AWS calls at all.

        Exit status: 0 succeeded, 1 failed (or could not start), 2 usage error, 3 cancelled;
        128+signal when stopped by a second interrupt.

        Examples:
          drctl run -f payments.yaml --phase Activate --mode Recovery --state-dir /srv/dr/payments
          drctl run --state-dir /srv/dr/payments           # resume after a crash
          drctl run -f payments.yaml --phase Activate --mode Drill --simulate --yes
        """
    static let options = RunRequest.options
    static let takesArguments = true  // refused by RunRequest, which says how to name the plan

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        let diagnostics = RunDiagnostics(console: console, format: RunDiagnostics.format(arguments))
        do {
            return try start(try RunRequest(arguments), diagnostics: diagnostics, console: console)
        } catch let error as UsageError {
            // In text, Drctl prints it with the pointer to --help; in JSON it must be a log line too.
            guard diagnostics.format == .json else { throw error }
            diagnostics.error(error.message, hint: "run '\(console.program) run --help' for usage")
            return .usage
        } catch {
            guard diagnostics.format == .json else { throw error }
            diagnostics.error("\(error)")
            return .failure
        }
    }

    private static func start(_ request: RunRequest, diagnostics: RunDiagnostics, console: Console) throws -> ExitCode {
        var given: PlanInput?
        if let path = request.planPath {
            switch try PlanInput.load(path) {
            case .success(let input): given = input
            case .failure(.invalid(let problems)):
                diagnostics.block("the plan is not valid; nothing was run", problems)
                return .failure
            }
        }
        guard let directory = request.stateDirectory ?? given.map({ defaultDirectory(for: $0.plan) }) else {
            throw UsageError("name the plan (-f FILE), or the state directory of a run to resume (--state-dir DIR)")
        }
        let store = StateDirectory(directory)
        guard store.exists || given != nil else {
            throw UsageError("\(directory): no such state directory; start a run with -f PLAN --phase PHASE --mode MODE")
        }
        guard let planInput = try given ?? PlanInput.stored(in: store) else {
            throw UsageError("\(directory) holds no plan: give it with -f FILE")
        }
        let hints = RunHints(program: console.program, directory: store.path,
                             rehearsal: request.simulation != nil || SimulationOptions.isRehearsal(store))
        try checkRehearsal(request, store: store)
        let identity = try PlanIdentityCheck.identity(of: planInput.plan, given: given != nil, store: store,
                                                      acceptChange: request.acceptPlanChange)

        // Everything that can be refused is refused before the directory is created or locked,
        // and before anything in it moves: a damaged state file stops the run here.
        let existing = try store.readExecution()
        _ = try store.readPlanState()
        let decision = try RunSetup.decide(request, existing: existing, plan: planInput.plan, hints: hints)
        try RunSetup.checkGates(request, plan: existing?.status?.plan?.snapshot ?? planInput.plan.spec)
        let registry: ModuleRegistry
        var cloud: SimulatedCloud?
        var modules: AvailableModules?
        if let simulation = request.simulation {
            _ = try simulation.scripts(for: planInput.plan.spec)
            registry = SimulatedModule.registry(cloud: SimulatedCloud())
        } else {
            modules = AvailableModules(plan: planInput.plan.spec, externalID: request.externalID)
            registry = modules!.registry
        }
        let (runSpec, runPlan) = switch decision {
        case .create(let spec), .replace(_, let spec): (spec, planInput.plan.spec)
        case .resume(let execution): (execution.spec, execution.status?.plan?.snapshot ?? planInput.plan.spec)
        }
        if let refusal = ModulesNeeded(plan: runPlan, running: runSpec, registry: registry)
            .refusal(available: registry.available, phase: runSpec.phase) {
            diagnostics.error(refusal)
            return .failure
        }

        try store.create()
        let lock = try store.acquireRunLock()
        defer { lock.unlock() }
        // A rehearsal calls no AWS, so two of the same plan may run side by side; real runs may not.
        let planLock = try request.simulation == nil
            ? PlanLock.acquire(identity.plan, stateDirectory: store.path, in: PlanLock.directory(configured: getenv("LIFEBOAT_LOCK_DIR").map { String(cString: $0) }))
            : nil
        defer { planLock?.unlock() }
        if identity.record {
            if let changes = identity.changes, !changes.isEmpty {
                diagnostics.warning("--accept-plan-change: \(store.path) now belongs to the plan as given (\(changes.joined(separator: "; ")))")
            }
            try store.writePlanIdentity(identity.plan)
        }
        let execution = try prepare(request, planInput: planInput, store: store, hints: hints, diagnostics: diagnostics)
        if let simulation = request.simulation {
            cloud = try simulation.cloud(for: planInput.plan.spec, in: store)
        }
        let executorRegistry = cloud.map { SimulatedModule.registry(cloud: $0) } ?? registry
        let resolver: any ReferenceResolving = modules.map {
            $0.resolver(executionName: execution.metadata.name ?? "", roleName: planInput.plan.spec.accounts.roleName)
        } ?? OpaqueReferences()
        let exit = drive(execution, plan: planInput.plan, request: request, store: store, registry: executorRegistry, resolver: resolver,
                         scoped: modules.map { [$0.clients] } ?? [],
                         hints: hints, diagnostics: diagnostics, console: console)
        try? cloud?.compact()  // the rehearsal's ledger as one JSON object again (it grew by appends)
        return exit
    }

    /// `lifeboat-state/NAMESPACE/NAME`: plans of the same name in two namespaces are two plans,
    /// and must never share a directory (and its phase-order history).
    static func defaultDirectory(for plan: DRPlan) -> String {
        "lifeboat-state/\(plan.metadata.namespace ?? PlanIdentity.defaultNamespace)/\(plan.metadata.name ?? "plan")"
    }

    /// A state directory is either a rehearsal (simulated modules) or real, decided by its
    /// first run: a simulated Activate must never satisfy the phase-order guard of a real Cleanup.
    private static func checkRehearsal(_ request: RunRequest, store: StateDirectory) throws(UsageError) {
        let rehearsal = SimulationOptions.isRehearsal(store)
        let used = FileSignature(store.executionPath) != nil || FileSignature(store.planStatePath) != nil
        if rehearsal, request.simulation == nil {
            throw UsageError("\(store.path) holds a rehearsal with simulated modules: pass --simulate to continue it, or use another --state-dir for a real run")
        }
        if !rehearsal, used, request.simulation != nil {
            throw UsageError("\(store.path) holds real runs: rehearse with --simulate in another --state-dir")
        }
    }

    /// Under the run lock: starts, resumes or replaces the execution and records the requests
    /// the flags make. Returns the execution to drive.
    private static func prepare(_ request: RunRequest, planInput: PlanInput, store: StateDirectory, hints: RunHints,
                                diagnostics: RunDiagnostics) throws -> DRExecution {
        let now = WallClock.now()
        let plan = planInput.plan
        var execution: DRExecution
        switch try RunSetup.decide(request, existing: try store.readExecution(), plan: plan, hints: hints) {
        case .resume(let existing):
            execution = existing
            let phase = existing.status?.phase ?? .pending
            diagnostics.note(phase.isTerminal
                ? "execution \(existing.metadata.name ?? "") in \(store.path) has already finished (\(phase.rawValue)); use --new to start another run of this phase"
                : "resuming execution \(existing.metadata.name ?? "") from \(store.path) (\(phase.rawValue))")
            if let snapshot = existing.status?.plan?.snapshot {
                if snapshot != plan.spec {
                    diagnostics.note("note: the plan given differs from the one this run started with; the run goes on with the plan it started with (its snapshot in status)")
                }
            } else {
                try store.writePlan(planInput.text)
            }
        case .replace(let old, let spec):
            try store.archiveExecution()
            diagnostics.note("moved finished execution \(old.metadata.name ?? "") to \(store.historyPath)/")
            execution = try create(spec, planInput: planInput, store: store, now: now, diagnostics: diagnostics)
        case .create(let spec):
            execution = try create(spec, planInput: planInput, store: store, now: now, diagnostics: diagnostics)
        }
        let gatesOf = execution.status?.plan?.snapshot ?? plan.spec
        if !RunSetup.requests(request, plan: gatesOf, current: nil).isEmpty {
            execution = try store.annotate { RunSetup.requests(request, plan: gatesOf, current: $0) }
        }
        if request.approveAll {
            diagnostics.note("--yes: every gate (\(LocalRequests.gates(of: plan.spec).joined(separator: ", "))) is approved without asking")
        }
        return execution
    }

    private static func create(_ spec: DRExecutionSpec, planInput: PlanInput, store: StateDirectory, now: Timestamp,
                               diagnostics: RunDiagnostics) throws -> DRExecution {
        let execution = RunSetup.newExecution(spec, plan: planInput.plan, now: now)
        // This directory drives one execution at a time (the run lock): no other holds the plan.
        var planState = try store.readPlanState()
        if planState.activeExecution != nil {
            planState.activeExecution = nil
            try store.writePlanState(planState)
        }
        try store.writePlan(planInput.text)
        try store.createExecution(execution)
        diagnostics.note("execution \(execution.metadata.name ?? "") (\(spec.mode) \(spec.phase), \(spec.direction)) of plan \(spec.planRef.name); state in \(store.path)")
        return execution
    }

    /// Runs the loop to its end and reports the outcome.
    private static func drive(_ execution: DRExecution, plan: DRPlan, request: RunRequest, store: StateDirectory,
                              registry: ModuleRegistry, resolver: any ReferenceResolving, scoped: [any ExecutionScoped], hints: RunHints,
                              diagnostics: RunDiagnostics, console: Console) -> ExitCode {
        // -o json|yaml keeps standard output for the outcome: no live view there.
        let interactive = !request.plain && request.output == .text && Terminal.isTerminal(0) && Terminal.isTerminal(1)
        let format = diagnostics.format
        let logger = Logger(sink: FileDescriptorSink(descriptor: 2, format: format),
                            fields: [("execution", .string(execution.metadata.name ?? ""))])
        var settings = EngineSettings(approvalHint: .local(hints.engineCommands))
        if request.simulation != nil {
            // Simulated operations take fractions of a second: poll them when they are due.
            settings.minimumPollInterval = GoDuration(milliseconds: 10)
            settings.retryBase = GoDuration(milliseconds: 200)
            settings.retryCap = .seconds(5)
        }
        if let interval = request.pollInterval {
            settings.defaultPollInterval = interval
            settings.maximumPollInterval = interval
            settings.minimumPollInterval = min(settings.minimumPollInterval, interval)
        }
        let executor = EffectExecutor(registry: registry, resolver: resolver, logger: interactive ? .disabled : logger,
                                      clock: WallClock.now, scoped: scoped)
        let runner = LocalRunner(store: store, plan: plan, executor: executor, settings: settings)
        Interrupts.install(json: format == .json)
        let outcome = AsyncBridge.wait { () -> Result<RunOutcome, LocalStoreError> in
            let observer: any RunObserver = interactive ? LiveView(console: console, hints: hints)
                                                        : LogObserver(logger: logger, hints: hints)
            do throws(LocalStoreError) { return .success(try await runner.run(observer: observer)) } catch { return .failure(error) }
        }
        switch outcome {
        case .failure(let error):
            diagnostics.error("\(error)")
            if error.kind != .corrupt {  // a damaged file is not cured by running again; its message says what is
                diagnostics.note("the state directory \(store.path) keeps the run: run the same command again to resume (\(hints.resume))")
            }
            return .failure
        case .success(.stalled(let execution, let reason, let message)):
            // A drill aimed at the serving region has no override: its message says what to run instead.
            let guarded = reason == "GuardRefused" && execution.spec.mode == .recovery
            diagnostics.error("execution \(execution.metadata.name ?? "") cannot start: \(guarded ? RunHints.guardReason(message) : message)")
            if guarded {
                diagnostics.note("to run it anyway: \(hints.overrideGuards) (the reason is recorded in status)")
            }
            if request.output != .text {
                printOutcome(RunOutcomeReport.json(execution, stateDirectory: store.path, stall: (reason, message)), request.output, console)
            }
            return .failure
        case .success(.finished(let execution)):
            return report(execution, store: store, hints: hints, output: request.output, console: console)
        }
    }

    /// The last word: the outcome on standard output, and for a failure each failed resource
    /// with its reason.
    static func report(_ execution: DRExecution, store: StateDirectory, hints: RunHints, output: OutputFormat,
                       console: Console) -> ExitCode {
        let phase = execution.status?.phase ?? .pending
        let exit: ExitCode = switch phase {
        case .succeeded: .success
        case .cancelled: .cancelled
        default: .failure
        }
        if output != .text {
            printOutcome(RunOutcomeReport.json(execution, stateDirectory: store.path), output, console)
            return exit
        }
        let view = ExecutionView(execution: execution, now: WallClock.now(), hints: hints)
        let outcome = execution.status?.conditions?[type: ConditionType.succeeded]
        var text = "Execution \(view.name) \(phase.rawValue)"
        if let started = execution.status?.startTime, let ended = execution.status?.completionTime {
            text += " in \(ExecutionView.elapsed(from: started, to: ended))"
        }
        text += ": \(outcome?.message ?? "")"
        if let progress = execution.status?.progress {
            let counts = [(progress.succeeded, "succeeded"), (progress.failed, "failed"), (progress.skipped, "skipped"),
                          (progress.cancelled, "not run")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
            text += " (\(progress.total) resource\(progress.total == 1 ? "" : "s"): \(counts.joined(separator: ", ")))"
        }
        console.out(text)
        let failures = view.failureLines
        if !failures.isEmpty { console.out((["Failed resources:"] + failures).joined(separator: "\n")) }
        console.out("Details: \(hints.status)")
        return exit
    }

    private static func printOutcome(_ outcome: JSONValue, _ format: OutputFormat, _ console: Console) {
        console.out(format == .yaml ? YAMLEncoder().encode(outcome) : JSONWriter.write(outcome))
    }
}
