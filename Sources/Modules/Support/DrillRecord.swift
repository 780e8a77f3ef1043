import Engine

/// What a drill changed in the standby, written on the AWS resource itself (a tag) *before* the
/// change: the capacity a group or service had, or that the drill started an instance or created
/// a reader. Drill Cleanup undoes exactly what such records say — after a crash, with the state
/// directory lost, or from another machine — and leaves alone everything a drill did not do
/// (API.md "Regions per phase"). The record is removed once the undo is complete.
///
/// A resource that already carries a record keeps it: a second drill before the Cleanup must not
/// replace the pre-drill state with the state the first drill made.
struct DrillRecord: Sendable, Hashable {
    static let tagKey = "lifeboat.dev/drill-undo"

    /// The plan whose drill made the record (for people reading the tag).
    var plan: String
    var values: [String: String]

    init(plan: String, values: [String: String]) {
        self.plan = plan
        self.values = values
    }

    init(_ context: ModuleContext, _ values: [String: String]) {
        self.init(plan: context.planName, values: values)
    }

    /// Reads a tag value written by `tagValue`; nil when there is none or it is not ours.
    init?(tag: String?) {
        guard let tag, !tag.isEmpty else { return nil }
        var values: [String: String] = [:]
        for pair in tag.split(separator: " ") {
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        guard let plan = values.removeValue(forKey: "plan") else { return nil }
        self.init(plan: plan, values: values)
    }

    init?(tags: [String: String]) { self.init(tag: tags[Self.tagKey]) }

    /// `plan=shop desired=2 min=1`: only characters every AWS service accepts in a tag value.
    var tagValue: String {
        (["plan=\(plan)"] + values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
    }

    func int(_ key: String) -> Int? { values[key].flatMap { Int($0) } }
}

extension ModuleContext {
    /// Whether this call is a drill's Cleanup, which undoes drill records instead of tearing down.
    var undoesDrill: Bool { mode == .drill && phase == .cleanup }
    /// Whether this call is a drill that changes the standby and must record what it changes first.
    var recordsDrill: Bool { mode == .drill && phase != .cleanup }
}
