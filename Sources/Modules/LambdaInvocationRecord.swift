/// What the LambdaFunction module writes on a function (a tag) around an invocation: which
/// execution invoked it and how it ended (`Invoking` until the answer is in). A restarted run of
/// the same execution reads it to adopt the outcome instead of invoking a second time.
struct LambdaInvocationRecord: Sendable, Hashable {
    var plan: String
    var execution: String
    /// `Invoking`, `Succeeded`, or the FunctionError (Handled, Unhandled).
    var outcome: String

    static let invoking = "Invoking"

    init(plan: String, execution: String, outcome: String) {
        self.plan = plan
        self.execution = execution
        self.outcome = outcome
    }

    /// Reads `plan=… execution=… outcome=…`; nil for no tag or one that is not a record.
    init?(tag: String?) {
        guard let tag else { return nil }
        var values: [Substring: Substring] = [:]
        for pair in tag.split(separator: " ") {
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            values[pair[..<equals]] = pair[pair.index(after: equals)...]
        }
        guard let plan = values["plan"], let execution = values["execution"], let outcome = values["outcome"] else { return nil }
        self.init(plan: String(plan), execution: String(execution), outcome: String(outcome))
    }

    /// Only characters Lambda accepts in a tag value (letters, digits, spaces, `_.:/=+-@`).
    var tagValue: String { "plan=\(plan) execution=\(execution) outcome=\(outcome)" }
}
