import LifeboatAPI
import Logging
import Synchronization
import YAML

/// Runs the engine's effects through the modules and returns one observation per effect. This
/// is the only place where the engine's decisions meet the outside world; the operator and
/// `drctl run` share it. It never throws: every failure becomes an observation the engine
/// can reason about (a module missing from the registry is a permanent error, not a crash).
public struct EffectExecutor: Sendable {
    public let registry: ModuleRegistry
    public let resolver: any ReferenceResolving
    public let logger: Logger
    /// The process-wide cap on module calls in flight, shared by every executor of the process
    /// (64 by default). A batch of effects also never runs more than this many at once.
    public let limit: ConcurrencyLimit
    /// The time a module call is made at. With a clock, a `start` whose deadline has passed is
    /// not sent (it waited too long for a slot, say): no module begins work it cannot finish in
    /// time. Without one (simulations on a virtual clock), the engine's own deadlines suffice.
    public let clock: (@Sendable () -> Timestamp)?
    /// What the process holds per execution (AWS sessions), released when a run ends.
    public let scoped: [any ExecutionScoped]

    public init(registry: ModuleRegistry, resolver: any ReferenceResolving = UnresolvedReferencesRefused(),
                logger: Logger = .disabled, limit: ConcurrencyLimit = .process, clock: (@Sendable () -> Timestamp)? = nil,
                scoped: [any ExecutionScoped] = []) {
        self.registry = registry
        self.resolver = resolver
        self.logger = logger
        self.limit = limit
        self.clock = clock
        self.scoped = scoped
    }

    /// Runs the effects concurrently (they concern different resources), at most `limit.limit`
    /// of them at a time and each holding a process-wide permit, and returns their
    /// observations in effect order. The layer's own `maxConcurrency` is already applied by the
    /// engine, which never asks for more starts than the layer allows.
    ///
    /// A fixed set of workers takes the effects in order, one at a time each: a 2,000-effect
    /// batch has at most `limit.limit` calls in flight, and costs that many tasks rather than
    /// a task (and a wake-up of the step's own task) per effect.
    public func run(_ effects: [Effect], for execution: DRExecution, status: DRExecutionStatus) async -> [Observation] {
        guard !effects.isEmpty else { return [] }
        let lookup = Lookup(status)
        let cursor = Cursor()
        return await withTaskGroup(of: [(Int, Observation)].self) { group in
            for _ in 0..<min(limit.limit, effects.count) {
                group.addTask {
                    var done: [(Int, Observation)] = []
                    while let index = cursor.take(below: effects.count) {
                        done.append((index, await self.limited(effects[index], for: execution, status: status, lookup: lookup)))
                    }
                    return done
                }
            }
            var results: [Observation?] = Array(repeating: nil, count: effects.count)
            for await done in group {
                for (index, observation) in done { results[index] = observation }
            }
            return results.map { $0! }
        }
    }

    /// The next effect of a batch not yet taken by a worker.
    private final class Cursor: Sendable {
        private let next = Mutex(0)

        func take(below count: Int) -> Int? {
            next.withLock { next in
                guard next < count else { return nil }
                defer { next += 1 }
                return next
            }
        }
    }

    /// Lets go of what the process held for this execution: called by the driver when a run ends.
    public func release(_ execution: DRExecution) async {
        let name = execution.metadata.name ?? ""
        for item in scoped { await item.release(executionName: name) }
    }

    private func limited(_ effect: Effect, for execution: DRExecution, status: DRExecutionStatus, lookup: Lookup) async -> Observation {
        await limit.withPermit { await self.run(effect, for: execution, status: status, lookup: lookup) }
    }

    public func run(_ effect: Effect, for execution: DRExecution, status: DRExecutionStatus) async -> Observation {
        await run(effect, for: execution, status: status, lookup: Lookup(status))
    }

    /// Where each resource is, by name, built once per batch of effects rather than searched per
    /// effect. It holds positions, not copies: a 2,000-resource batch would otherwise copy every
    /// planned resource and its status (parameters, checkpoint) only to read one of each.
    struct Lookup: Sendable {
        let status: DRExecutionStatus
        let positions: [String: (layer: Int, resource: Int)]

        init(_ status: DRExecutionStatus) {
            self.status = status
            self.positions = ResourcePositions.byName(status.layers ?? [])
        }

        /// The resource as the plan snapshot has it.
        func planned(_ name: String) -> Resource? {
            ResourcePositions.planned(name, at: positions[name], in: status.plan?.snapshot)
        }

        func current(_ name: String) -> ResourceStatus? {
            guard let (l, r) = positions[name] else { return nil }
            return status.layers?[l].resources[r]
        }
    }

    private func run(_ effect: Effect, for execution: DRExecution, status: DRExecutionStatus, lookup: Lookup) async -> Observation {
        let outcome: Observation.Outcome
        do {
            let (module, context) = try await prepare(effect, execution: execution, status: status, lookup: lookup)
            switch effect {
            case .start:
                outcome = .started(try await module.start(context))
            case .check(_, _, let checkpoint):
                outcome = .checked(try await module.check(context, checkpoint: checkpoint))
            case .preflight:
                outcome = .preflighted(try await module.preflight(context))
            }
        } catch {
            logger.warning("module call failed", ["resource": .string(effect.resource), "effect": .string("\(effect)"),
                                                  "kind": .string(error.kind.rawValue), "code": .string(error.code ?? "")])
            outcome = .failed(error)
        }
        let secrets = await resolver.sensitiveValues()
        return Observation(resource: effect.resource, attempt: effect.attempt,
                           outcome: secrets.isEmpty ? outcome : SecretScrubber(secrets).scrub(outcome))
    }

    private func prepare(_ effect: Effect, execution: DRExecution, status: DRExecutionStatus, lookup: Lookup)
        async throws(ModuleError) -> (any DRModule, ModuleContext) {
        guard let snapshot = status.plan?.snapshot, let resource = lookup.planned(effect.resource) else {
            throw .permanent("resource \(effect.resource) is not in the plan snapshot", code: "UnknownResource")
        }
        guard let module = registry[resource.module] else {
            throw .permanent("module \(resource.module) is not available in this build of Lifeboat", code: "ModuleUnavailable")
        }
        guard let acting = status.actingRegion, let peer = status.peerRegion else {
            throw .permanent("the execution has no acting region yet", code: "NotStarted")
        }
        let deadline = Self.deadline(of: resource, timeout: resource.timeout ?? module.descriptor.defaultTimeout,
                                     status: lookup.current(resource.name), execution: execution, run: status, now: clock?())
        if case .start = effect, let now = clock?(), now >= deadline {
            throw .permanent("not started: the deadline \(deadline) had passed when the call could be made", code: "TimedOut")
        }
        let accountId = resource.accountId ?? snapshot.accounts.default ?? ""
        let roleName = snapshot.accounts.roleName
        let parameters = try await resolver.resolve(resource.parameters ?? .object([:]), accountId: accountId,
                                                    roleName: roleName, region: acting)
        let spec = execution.spec
        let context = ModuleContext(
            actingRegion: acting, peerRegion: peer, accountId: accountId, roleName: roleName, phase: spec.phase,
            mode: spec.mode, direction: spec.direction, strategy: spec.strategy,
            executionUID: execution.metadata.uid ?? execution.metadata.name ?? "", executionName: execution.metadata.name ?? "",
            planName: spec.planRef.name, resourceName: resource.name, parameters: parameters, deadline: deadline,
            logger: logger.with(["resource": .string(resource.name), "module": .string(resource.module.rawValue)]))
        return (module, context)
    }

    /// When the module's work must be over: the resource's timeout counted from its start, or
    /// the run's deadline (`spec.timeout` from the run's start) if that comes first. A resource
    /// not started yet counts from now.
    static func deadline(of resource: Resource, timeout: GoDuration, status: ResourceStatus?, execution: DRExecution,
                         run: DRExecutionStatus, now: Timestamp?) -> Timestamp {
        let started = status?.startTime ?? run.startTime ?? now ?? Timestamp(millisecondsSinceEpoch: 0)
        var deadline = started.adding(timeout)
        if let runTimeout = execution.spec.timeout, let runStart = run.startTime {
            deadline = min(deadline, runStart.adding(runTimeout))
        }
        return deadline
    }
}
