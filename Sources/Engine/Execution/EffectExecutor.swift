import LifeboatAPI
import Logging
import YAML

/// Runs the engine's effects through the modules and returns one observation per effect. This
/// is the only place where the engine's decisions meet the outside world; the operator and
/// `drctl run` share it. It never throws: every failure becomes an observation the engine
/// can reason about (a module missing from the registry is a permanent error, not a crash).
public struct EffectExecutor: Sendable {
    public let registry: ModuleRegistry
    public let resolver: any ReferenceResolving
    public let logger: Logger

    public init(registry: ModuleRegistry, resolver: any ReferenceResolving = UnresolvedReferencesRefused(),
                logger: Logger = .disabled) {
        self.registry = registry
        self.resolver = resolver
        self.logger = logger
    }

    /// Runs the effects concurrently (they concern different resources) and returns their
    /// observations in effect order.
    public func run(_ effects: [Effect], for execution: DRExecution, status: DRExecutionStatus) async -> [Observation] {
        let lookup = Lookup(status)
        return await withTaskGroup(of: (Int, Observation).self) { group in
            for (index, effect) in effects.enumerated() {
                group.addTask { (index, await self.run(effect, for: execution, status: status, lookup: lookup)) }
            }
            var results: [(Int, Observation)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    public func run(_ effect: Effect, for execution: DRExecution, status: DRExecutionStatus) async -> Observation {
        await run(effect, for: execution, status: status, lookup: Lookup(status))
    }

    /// Resources by name, built once per batch of effects rather than searched per effect.
    struct Lookup: Sendable {
        let planned: [String: Resource]
        let current: [String: ResourceStatus]

        init(_ status: DRExecutionStatus) {
            var planned: [String: Resource] = [:]
            for layer in status.plan?.snapshot?.layers ?? [] {
                for resource in layer.resources { planned[resource.name] = resource }
            }
            var current: [String: ResourceStatus] = [:]
            for layer in status.layers ?? [] {
                for resource in layer.resources { current[resource.name] = resource }
            }
            self.planned = planned
            self.current = current
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
        guard let snapshot = status.plan?.snapshot, let resource = lookup.planned[effect.resource] else {
            throw .permanent("resource \(effect.resource) is not in the plan snapshot", code: "UnknownResource")
        }
        guard let module = registry[resource.module] else {
            throw .permanent("module \(resource.module) is not available in this build of Lifeboat", code: "ModuleUnavailable")
        }
        guard let acting = status.actingRegion, let peer = status.peerRegion else {
            throw .permanent("the execution has no acting region yet", code: "NotStarted")
        }
        let accountId = resource.accountId ?? snapshot.accounts.default ?? ""
        let roleName = snapshot.accounts.roleName
        let parameters = try await resolver.resolve(resource.parameters ?? .object([:]), accountId: accountId,
                                                    roleName: roleName, region: acting)
        let resourceStatus = lookup.current[resource.name]
        let timeout = resource.timeout ?? module.descriptor.defaultTimeout
        let started = resourceStatus?.startTime ?? status.startTime ?? Timestamp(millisecondsSinceEpoch: 0)
        let spec = execution.spec
        let context = ModuleContext(
            actingRegion: acting, peerRegion: peer, accountId: accountId, roleName: roleName, phase: spec.phase,
            mode: spec.mode, direction: spec.direction, strategy: spec.strategy,
            executionUID: execution.metadata.uid ?? execution.metadata.name ?? "", executionName: execution.metadata.name ?? "",
            planName: spec.planRef.name, resourceName: resource.name, parameters: parameters, deadline: started.adding(timeout),
            logger: logger.with(["resource": .string(resource.name), "module": .string(resource.module.rawValue)]))
        return (module, context)
    }
}
