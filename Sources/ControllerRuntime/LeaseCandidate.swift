import Kube

/// client-go's `tryAcquireOrRenew` as a pure value, so the rules can be tested with made-up
/// times. Expiry is judged by this process's monotonic clock: a holder's lease is considered
/// expired `leaseDurationSeconds` after this candidate last *saw the record change*, never by
/// comparing `renewTime` with our wall clock (clocks on two machines disagree).
struct LeaseCandidate: Sendable {
    enum Decision: Sendable, Equatable {
        /// No Lease yet: create it holding it.
        case create(LeaseSpec)
        /// Write this spec over the Lease just read (optimistically, with its resourceVersion).
        case update(LeaseSpec)
        /// Someone else holds a lease that has not expired by our clock.
        case heldBy(String, until: Double)
    }

    let identity: String
    let leaseDurationSeconds: Int
    private(set) var observed: LeaseSpec?
    /// Monotonic seconds when `observed` last changed.
    private(set) var observedAt = -Double.infinity

    init(identity: String, leaseDurationSeconds: Int) {
        self.identity = identity
        self.leaseDurationSeconds = leaseDurationSeconds
    }

    /// What to do given the Lease as read now (nil: it does not exist).
    mutating func decide(current: Lease?, now: Double, wallTime: String) -> Decision {
        guard let current else {
            return .create(LeaseSpec(holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds,
                                     acquireTime: wallTime, renewTime: wallTime, leaseTransitions: 0))
        }
        let spec = current.spec ?? LeaseSpec()
        if spec != observed {
            observed = spec
            observedAt = now
        }
        let holder = spec.holderIdentity ?? ""
        let until = observedAt + Double(spec.leaseDurationSeconds ?? leaseDurationSeconds)
        if !holder.isEmpty, holder != identity, until > now { return .heldBy(holder, until: until) }
        var next = LeaseSpec(holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds,
                             acquireTime: wallTime, renewTime: wallTime,
                             leaseTransitions: (spec.leaseTransitions ?? 0) + 1)
        if holder == identity {  // a renewal keeps the acquisition
            next.acquireTime = spec.acquireTime
            next.leaseTransitions = spec.leaseTransitions ?? 0
        }
        return .update(next)
    }

    /// Our write succeeded: remember what we wrote, so reading it back is not a "change".
    mutating func wrote(_ spec: LeaseSpec?, at now: Double) {
        observed = spec
        observedAt = now
    }

    /// client-go's release: no holder, a 1 s lease, so a waiting candidate takes over at once.
    func released(wallTime: String) -> LeaseSpec {
        LeaseSpec(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: wallTime, renewTime: wallTime,
                  leaseTransitions: observed?.leaseTransitions ?? 0)
    }
}
