import Kube
import Logging
import Synchronization

/// Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules (operators.md §2):
/// acquire by an optimistic write (a 409 means someone else won), renew every `retryPeriod`,
/// give up when no renewal succeeded for `renewDeadline`, and release (holder "", 1 s) on
/// shutdown. Because renewDeadline < leaseDuration, a leader that cannot renew stops before any
/// other candidate's clock lets it take over, so two leaders never act at once.
public final class LeaderElector: Sendable {
    public struct Timing: Sendable {
        public var leaseDuration: Duration
        public var renewDeadline: Duration
        public var retryPeriod: Duration

        /// client-go's and controller-runtime's defaults: 15 s / 10 s / 2 s.
        public init(leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
                    retryPeriod: Duration = .seconds(2)) {
            precondition(leaseDuration > renewDeadline && renewDeadline > retryPeriod * 1.2,
                         "leader election needs leaseDuration > renewDeadline > 1.2 × retryPeriod")
            precondition(leaseDuration >= .seconds(1), "a Lease counts whole seconds")
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    /// Why `run` returned.
    public enum Outcome: Sendable, Equatable {
        /// The task was cancelled (shutdown); the lease was released if held.
        case cancelled
        /// Leadership was lost; `work` was cancelled at once. The process should exit (a new
        /// campaign would race the new leader's view of the world).
        case lost
        /// `work` returned by itself; the lease was released.
        case workFinished
    }

    enum Attempt: Sendable { case acquired, heldBy(String), failed }

    public let identity: String
    let api: Api<Lease>
    let name: String
    let timing: Timing
    let logger: Logger
    let status: Metric?
    /// Monotonic seconds; injectable so the rules can be driven by a test clock.
    let now: @Sendable () -> Double
    private let state: Mutex<(candidate: LeaseCandidate, leading: Bool)>

    public convenience init(api: Api<Lease>, name: String, identity: String, timing: Timing = Timing(),
                registry: MetricsRegistry? = nil, logger: Logger = .disabled) {
        self.init(api: api, name: name, identity: identity, timing: timing, registry: registry, logger: logger,
                  now: { Monotonic.now })
    }

    init(api: Api<Lease>, name: String, identity: String, timing: Timing, registry: MetricsRegistry?,
         logger: Logger, now: @escaping @Sendable () -> Double) {
        self.api = api
        self.name = name
        self.identity = identity
        self.timing = timing
        self.logger = logger.with(["lease": .string(name), "identity": .string(identity)])
        self.now = now
        let seconds = Int(Monotonic.seconds(timing.leaseDuration).rounded(.up))
        self.state = Mutex((LeaseCandidate(identity: identity, leaseDurationSeconds: seconds), false))
        self.status = registry?.gauge("leader_election_master_status",
                                      help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.",
                                      labels: ["name": name])
        status?.set(0)
    }

    /// True only between a successful acquisition and the moment leadership is lost or given up.
    public var isLeader: Bool { state.withLock { $0.leading } }

    /// Campaigns until this candidate leads, then runs `work` while renewing. `work` is
    /// cancelled the moment the lease is lost, and must stop acting when cancelled.
    public func run(_ work: @escaping @Sendable () async -> Void) async -> Outcome {
        guard await campaign() else { return .cancelled }
        setLeading(true)
        logger.info("became leader")
        let outcome = await lead(work)
        setLeading(false)
        if outcome != .lost {
            // Release outside the cancelled task, so the write is not cancelled with it.
            await Task { await self.release() }.value
        }
        return outcome
    }

    private func campaign() async -> Bool {
        while !Task.isCancelled {
            if case .acquired = await attempt() { return true }
            // client-go's JitterUntil(retryPeriod, 1.2): candidates do not retry in lockstep.
            let pause = timing.retryPeriod * (1 + 1.2 * Double.random(in: 0..<1))
            guard (try? await Task.sleep(for: pause)) != nil else { return false }
        }
        return false
    }

    private func lead(_ work: @escaping @Sendable () async -> Void) async -> Outcome {
        await withTaskGroup(of: Outcome.self) { group in
            group.addTask { await work(); return .workFinished }
            group.addTask { await self.renew() }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            await group.waitForAll()
            if first == .workFinished, Task.isCancelled { return .cancelled }
            return first
        }
    }

    /// Renews until cancelled (→ .cancelled) or until leadership is lost (→ .lost, with
    /// `isLeader` already false so nothing acts on it while `work` unwinds).
    private func renew() async -> Outcome {
        var renewedAt = now()
        while true {
            guard (try? await Task.sleep(for: timing.retryPeriod)) != nil else { return .cancelled }
            let deadline = renewedAt + Monotonic.seconds(timing.renewDeadline)
            let started = now()
            let result = await attempt(before: deadline)
            if Task.isCancelled { return .cancelled }
            switch result {
            case .acquired:
                renewedAt = started
                continue
            case .heldBy(let holder):
                setLeading(false)
                logger.warning("leadership lost: the lease is held by another candidate", ["holder": .string(holder)])
                return .lost
            case .failed where now() >= deadline:
                setLeading(false)
                logger.warning("leadership lost: could not renew the lease within the renew deadline")
                return .lost
            case .failed:
                continue
            }
        }
    }

    /// One acquire-or-renew, abandoned at `deadline` (a hung request must not keep us leading).
    private func attempt(before deadline: Double) async -> Attempt {
        await withTaskGroup(of: Attempt?.self) { group in
            group.addTask { await self.attempt() }
            group.addTask {
                try? await Task.sleep(for: .seconds(max(0, deadline - self.now())))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failed
        }
    }

    /// client-go's tryAcquireOrRenew: read, decide by the pure rules, write optimistically.
    func attempt() async -> Attempt {
        do {
            let started = now()
            let current = try await api.getIfExists(name)
            let decision = state.withLock { $0.candidate.decide(current: current, now: started, wallTime: MicroTime.now()) }
            let written: Lease
            switch decision {
            case .heldBy(let holder, _):
                return .heldBy(holder)
            case .create(let spec):
                written = try await api.create(Lease(metadata: ObjectMeta(name: name, namespace: api.namespace), spec: spec))
            case .update(let spec):
                var lease = current!
                lease.spec = spec
                written = try await api.update(lease)
            }
            state.withLock { $0.candidate.wrote(written.spec, at: started) }
            return .acquired
        } catch {
            // A 409 means another candidate wrote first; anything else is retried the same way.
            logger.debug("lease write failed", ["error": .string("\(error)")])
            return .failed
        }
    }

    /// Gives the lease up if we still hold it (optimistically: never overwrite a new holder).
    private func release() async {
        do {
            guard var lease = try await api.getIfExists(name), lease.spec?.holderIdentity == identity else { return }
            lease.spec = state.withLock { $0.candidate.released(wallTime: MicroTime.now()) }
            _ = try await api.update(lease)
            logger.info("released the lease")
        } catch {
            logger.warning("could not release the lease; it will expire", ["error": .string("\(error)")])
        }
    }

    private func setLeading(_ leading: Bool) {
        state.withLock { $0.leading = leading }
        status?.set(leading ? 1 : 0)
    }
}
