import Testing
import Kube
@testable import ControllerRuntime

/// The acquire/renew rules with a made-up clock (seconds): expiry by our own observation time.
struct LeaseCandidateTests {
    func lease(_ holder: String, renew: String = "t0", transitions: Int = 0, duration: Int = 15) -> Lease {
        Lease(metadata: ObjectMeta(name: "l", namespace: "default", resourceVersion: "1"),
              spec: LeaseSpec(holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: "a",
                              renewTime: renew, leaseTransitions: transitions))
    }

    @Test func createsAMissingLease() {
        var candidate = LeaseCandidate(identity: "me", leaseDurationSeconds: 15)
        #expect(candidate.decide(current: nil, now: 0, wallTime: "w") ==
                .create(LeaseSpec(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: "w", renewTime: "w",
                                  leaseTransitions: 0)))
    }

    @Test func waitsForAnotherHolderUntilItsRecordStopsChangingForTheLeaseDuration() {
        var candidate = LeaseCandidate(identity: "me", leaseDurationSeconds: 15)
        // First seen at 100: held until 115 by our clock, whatever renewTime says.
        #expect(candidate.decide(current: lease("other", renew: "1999-01-01T00:00:00.000000Z"), now: 100, wallTime: "w")
                == .heldBy("other", until: 115))
        #expect(candidate.decide(current: lease("other", renew: "1999-01-01T00:00:00.000000Z"), now: 114.9, wallTime: "w")
                == .heldBy("other", until: 115))
        // The holder renewed at 110: the clock restarts from when we saw the change.
        #expect(candidate.decide(current: lease("other", renew: "t1", transitions: 3), now: 110, wallTime: "w") == .heldBy("other", until: 125))
        guard case .update(let spec) = candidate.decide(current: lease("other", renew: "t1", transitions: 3), now: 125,
                                                        wallTime: "w") else {
            Issue.record("an unchanged record for the lease duration has expired")
            return
        }
        #expect(spec.holderIdentity == "me" && spec.acquireTime == "w" && spec.leaseTransitions == 4)
    }

    @Test func renewalKeepsAcquireTimeAndTransitionsAndAReleasedLeaseIsFree() {
        var candidate = LeaseCandidate(identity: "me", leaseDurationSeconds: 15)
        #expect(candidate.decide(current: lease("me", transitions: 2), now: 5, wallTime: "w") ==
                .update(LeaseSpec(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: "a", renewTime: "w",
                                  leaseTransitions: 2)))
        candidate.wrote(LeaseSpec(holderIdentity: "me", leaseTransitions: 2), at: 5)
        #expect(candidate.released(wallTime: "r") ==
                LeaseSpec(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: "r", renewTime: "r", leaseTransitions: 2))
        var other = LeaseCandidate(identity: "b", leaseDurationSeconds: 15)
        guard case .update(let spec) = other.decide(current: lease("", duration: 1), now: 0, wallTime: "w") else {
            Issue.record("a released lease is free at once")
            return
        }
        #expect(spec.holderIdentity == "b")
    }

    @Test func microTimeHasSixFractionalDigits() {
        #expect(MicroTime.format(unixSeconds: 1_795_255_200.5) == "2026-11-21T10:00:00.500000Z")
        #expect(MicroTime.format(unixSeconds: 0) == "1970-01-01T00:00:00.000000Z")
    }
}
