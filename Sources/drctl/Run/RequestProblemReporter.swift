import LifeboatAPI
import LocalStore

/// Reports, once each, what in a run's annotations will be ignored (LocalRequests.problems): an
/// unknown gate in approve/reject, an unknown `lifeboat.dev/` annotation. Without it, a typo in
/// a request leaves a person waiting for something that will never happen.
struct RequestProblemReporter {
    private var reported: Set<String> = []

    /// The problems not reported yet (a few string comparisons per step: cheap).
    mutating func new(in execution: DRExecution) -> [String] {
        let gates = execution.status?.plan?.snapshot.map(LocalRequests.gates(of:))
        let fresh = LocalRequests.problems(in: execution.metadata.annotations, gates: gates).filter { !reported.contains($0) }
        reported.formUnion(fresh)
        return fresh
    }
}
