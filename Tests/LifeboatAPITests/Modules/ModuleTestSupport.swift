import LifeboatAPI
import Testing
import YAML

/// Where a resource's parameters sit in a plan; every expected path below starts here.
let base: FieldPath = "spec.layers[0].resources[0].parameters"

/// The full rendered path of `suffix` under `base` ("" is `base` itself).
func at(_ suffix: String) -> String {
    if suffix.isEmpty { return base.description }
    return suffix.hasPrefix("[") ? "\(base)\(suffix)" : "\(base).\(suffix)"
}

/// Validates like the plan validator does: the resource runs `phases`, or all supported phases.
/// Every problem in every test must carry a hint a person can act on.
func check(_ module: ModuleName, _ parameters: JSONValue?, phases: [Phase]? = nil,
           sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [ValidationProblem] {
    let descriptor = ModuleCatalog.descriptor(for: module)
    let problems = descriptor.validate(parameters: parameters, phases: phases ?? descriptor.supportedPhases, at: base)
    #expect(problems.allSatisfy { $0.hint != nil }, "problems without a hint: \(problems.filter { $0.hint == nil })",
            sourceLocation: sourceLocation)
    return problems
}

/// `value` with `key` set (nil removes it); the value must be an object.
func setting(_ value: JSONValue, _ key: String, _ new: JSONValue?) -> JSONValue {
    var copy = value
    copy[key] = new
    return copy
}

/// `value` with `key` set inside its first `Items` entry.
func settingItem(_ value: JSONValue, _ key: String, _ new: JSONValue?, item: Int = 0) -> JSONValue {
    guard case .array(var items)? = value["Items"] else { return value }
    items[item][key] = new
    return setting(value, "Items", .array(items))
}

extension Array where Element == ValidationProblem {
    var errorPaths: [String] { errors.map(\.path.description) }
    var warningPaths: [String] { warnings.map(\.path.description) }
    func problem(at suffix: String) -> ValidationProblem? { first { $0.path.description == at(suffix) } }
}

/// Malformed references that every module must report at the value's path.
let malformedReferences: [String] = [
    "resolve:ssm:",
    "resolve:ssm:/dr/orders:x",
    "resolve:secretsmanager:orders-secret",
    "!Import",
    "!Import a b",
]

/// Well-formed references of each spelling.
let wellFormedReferences: [String] = [
    "resolve:ssm:/dr/value",
    "resolve:ssm:/dr/value:3",
    "{{resolve:ssm:/dr/value}}",
    "{{resolve:ssm:/dr/value:3}}",
    "!Import dr-value",
]
