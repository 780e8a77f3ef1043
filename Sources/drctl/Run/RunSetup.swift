import LifeboatAPI
import LocalStore

/// Decides what `drctl run` does with a state directory: start a new execution, resume the
/// one it holds, or refuse. The rules (docs/break-glass.md "Resuming"):
///
/// - nothing there: start one (`--phase` and `--mode` required);
/// - an execution whose spec the flags agree with (flags not given agree): resume it — this is
///   how a killed run continues, and how a Failed one continues after `drctl retry`;
/// - a finished execution, or one that never started (a refused guard), that the flags
///   contradict, or any finished one with `--new`: move it to history/ and start a new one;
/// - an unfinished execution the flags contradict: refuse (usage error) — it must be finished
///   or cancelled first, because its work may be under way in AWS.
enum RunSetup {
    enum Decision {
        case create(DRExecutionSpec)
        case resume(DRExecution)
        case replace(DRExecution, with: DRExecutionSpec)
    }

    static func decide(_ request: RunRequest, existing: DRExecution?, plan: DRPlan, hints: RunHints) throws(UsageError) -> Decision {
        guard let existing else { return .create(try spec(request, plan: plan, base: nil)) }
        let contradictions = request.contradictions(with: existing.spec, planName: plan.metadata.name)
        if contradictions.isEmpty && !request.startNew { return .resume(existing) }
        let name = existing.metadata.name ?? "execution"
        let phase = existing.status?.phase ?? .pending
        guard phase.isTerminal || existing.status?.plan == nil else {
            let why = request.startNew ? "--new" : contradictions.joined(separator: ", ")
            throw UsageError("""
                the state directory holds unfinished execution \(name) (\(existing.spec.mode) \(existing.spec.phase), \(phase.rawValue)), \
                which \(why) contradicts. Resume it with the same flags (\(hints.resume)), cancel it with \
                `\(hints.cancel)` and resume it to the end, or use another --state-dir
                """)
        }
        return .replace(existing, with: try spec(request, plan: plan, base: contradictions.isEmpty ? existing.spec : nil))
    }

    /// The spec of a new execution; `base` fills what the flags leave out (`--new` repeats a run).
    static func spec(_ request: RunRequest, plan: DRPlan, base: DRExecutionSpec?) throws(UsageError) -> DRExecutionSpec {
        guard let phase = request.phase ?? base?.phase, let mode = request.mode ?? base?.mode else {
            throw UsageError("--phase and --mode are required to start a run (--mode Drill or --mode Recovery: say whether this is a drill)")
        }
        let names = plan.spec.allResources.map(\.name)
        for resource in request.resources ?? [] where !names.contains(resource) {
            let hint = EditDistance.closest(to: resource, in: names).map { " (did you mean \($0)?)" } ?? ""
            throw UsageError("--resources: plan \(plan.metadata.name ?? "") has no resource \"\(resource)\"\(hint)")
        }
        return DRExecutionSpec(planRef: PlanReference(name: plan.metadata.name ?? ""), phase: phase, mode: mode,
                               direction: request.direction ?? base?.direction ?? .failover,
                               strategy: request.strategy ?? base?.strategy ?? .graceful,
                               resources: request.resources ?? base?.resources, timeout: request.timeout ?? base?.timeout)
    }

    /// A new execution: `<plan>-<phase>-<UTC time>`, a fresh uid, and who created it.
    static func newExecution(_ spec: DRExecutionSpec, plan: DRPlan, now: Timestamp) -> DRExecution {
        let stamp = String(now.description.prefix(19).filter { $0.isNumber || $0 == "T" }).replacingT()
        var metadata = ObjectMeta(name: "\(spec.planRef.name)-\(spec.phase.rawValue.lowercased())-\(stamp)",
                                  namespace: plan.metadata.namespace,
                                  annotations: [LifeboatAnnotation.createdBy: "drctl run (\(LocalRequests.person))"])
        metadata.uid = randomUID()
        metadata.generation = 1
        metadata.creationTimestamp = now.wholeSeconds
        return DRExecution(metadata: metadata, spec: spec)
    }

    /// A version-4 UUID.
    static func randomUID() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }

    /// `--approve` may name only gates the plan has.
    static func checkGates(_ request: RunRequest, plan: DRPlanSpec) throws(UsageError) {
        let gates = LocalRequests.gates(of: plan)
        for gate in request.approvals where !gates.contains(gate) {
            let hint = EditDistance.closest(to: gate, in: gates).map { " (did you mean \($0)?)" } ?? ""
            throw UsageError("--approve: the plan has no gate \"\(gate)\"\(hint); its gates are \(gates.joined(separator: ", "))")
        }
    }

    /// The annotations `--approve`, `--yes` and `--override-guards` add to `current`.
    static func requests(_ request: RunRequest, plan: DRPlanSpec, current: [String: String]?) -> [String: String?] {
        let gates = LocalRequests.gates(of: plan)
        let approved = request.approveAll ? gates : request.approvals
        var changes: [String: String?] = approved.isEmpty ? [:]
            : LocalRequests.deciding(approved, approve: true, in: current, by: request.approveAll ? "\(LocalRequests.person) (--yes)" : LocalRequests.person)
        if let reason = request.overrideGuards { changes[LifeboatAnnotation.overrideGuards] = reason }
        return changes
    }
}

private extension String {
    /// `20261121T221847` → `20261121-221847`.
    func replacingT() -> String { String(map { $0 == "T" ? "-" : $0 }) }
}
