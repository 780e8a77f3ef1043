#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LifeboatAPI

/// The requests a person makes to a local run, as the annotations the engine reads (API.md
/// "Imperative annotations"): gate lists for approve/reject, fresh tokens for the rest.
public enum LocalRequests {
    /// The annotation changes that add `gates` to the approve (or reject) list, keeping what is
    /// there, and record who decided.
    public static func deciding(_ gates: [String], approve: Bool, in annotations: [String: String]?,
                                by person: String?) -> [String: String?] {
        let key = approve ? LifeboatAnnotation.approve : LifeboatAnnotation.reject
        var changes: [String: String?] = [key: merged(annotations?[key], adding: gates)]
        if let person, !person.isEmpty { changes[LifeboatAnnotation.approvedBy] = person }
        return changes
    }

    /// `a,b` plus `b,c` is `a,b,c`: order kept, no repeats, blanks dropped.
    public static func merged(_ list: String?, adding gates: [String]) -> String {
        var out: [String] = []
        for gate in gateList(list ?? "") + gates.flatMap({ gateList($0) }) where !out.contains(gate) { out.append(gate) }
        return out.joined(separator: ",")
    }

    /// The gate ids of a comma-separated list.
    public static func gateList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" } }.filter { !$0.isEmpty }
    }

    /// What in a run's annotations will be ignored although a person surely meant something by
    /// it: a gate the execution does not have in approve/reject (`approve: bogus-gate`), and a
    /// `lifeboat.dev/` annotation Lifeboat does not know (`lifeboat.dev/aprove`). `gates` nil
    /// when the gates are not known yet (the run has not started).
    public static func problems(in annotations: [String: String]?, gates: [String]?) -> [String] {
        var found: [String] = []
        if let gates {
            for key in [LifeboatAnnotation.approve, LifeboatAnnotation.reject] {
                for gate in gateList(annotations?[key] ?? "") where !gates.contains(gate) {
                    let hint = EditDistance.closest(to: gate, in: gates).map { "; did you mean \($0)?" } ?? ""
                    found.append("\(key) names gate \"\(gate)\", which this execution does not have (its gates: \(gates.joined(separator: ", ")))\(hint)")
                }
            }
        }
        for key in (annotations ?? [:]).keys.sorted() where key.hasPrefix("lifeboat.dev/") && !LifeboatAnnotation.all.contains(key) {
            let hint = EditDistance.closest(to: key, in: LifeboatAnnotation.all).map { " (did you mean \($0)?)" } ?? ""
            found.append("unknown annotation \(key) is ignored\(hint)")
        }
        return found
    }

    /// A token for pause, resume, cancel or retry: new on every call.
    public static func token(_ purpose: String, at time: Timestamp) -> String {
        "\(purpose)-\(time.millisecondsSinceEpoch)-\(UInt16.random(in: 0...UInt16.max))"
    }

    /// The gates a plan can raise: `start`, and `layer-<name>` for layers with `pauseBefore`.
    public static func gates(of plan: DRPlanSpec) -> [String] {
        [Gate.startID] + plan.layers.filter(\.pauseBefore).map(\.gateID)
    }

    /// Who is asking: `$USER`, else the login name of the uid, with the host.
    public static var person: String {
        var name = getenv("USER").map { String(cString: $0) } ?? ""
        if name.isEmpty, let entry = getpwuid(getuid()), let login = entry.pointee.pw_name { name = String(cString: login) }
        var host = [CChar](repeating: 0, count: 256)
        let hostname = gethostname(&host, host.count) == 0
            ? String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let user = name.isEmpty ? "uid-\(getuid())" : name
        return hostname.isEmpty ? user : "\(user)@\(hostname)"
    }
}

/// The real clock, to the millisecond.
public enum WallClock {
    public static func now() -> Timestamp { Timestamp.now() }
}
