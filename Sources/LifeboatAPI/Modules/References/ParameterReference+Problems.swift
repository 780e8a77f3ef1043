import YAML

extension ParameterReference {
    /// Every malformed reference anywhere in `value` (through lists and objects, as the run-time
    /// resolver goes), each at its own path. Well-formed references and plain strings are fine.
    ///
    /// Iterative rather than recursive: a free-form value (a Lambda `Payload`) can be nested
    /// arbitrarily deep, and validation must never crash on input.
    public static func referenceProblems(in value: JSONValue, at path: FieldPath) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        var pending: [(JSONValue, FieldPath)] = [(value, path)]
        while let (current, currentPath) = pending.popLast() {
            switch current {
            case .string(let text):
                if let problem = referenceProblem(text, at: currentPath) { problems.append(problem) }
            case .array(let items):
                // Pushed in reverse so problems come out in document order.
                for (index, item) in items.enumerated().reversed() { pending.append((item, currentPath.index(index))) }
            case .object(let object):
                for (key, item) in Array(object).reversed() { pending.append((item, currentPath.key(key))) }
            case .null, .bool, .int, .double:
                break
            }
        }
        return problems
    }

    /// The problem for one string value, or nil when it is a plain string or a good reference.
    static func referenceProblem(_ text: String, at path: FieldPath) -> ValidationProblem? {
        guard case .failure(let error)? = parse(text) else { return nil }
        return ValidationProblem(path, "malformed parameter reference \"\(text.truncatedForMessage)\": \(error.message)", hint: error.hint)
    }
}
