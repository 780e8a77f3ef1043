import Engine
import EngineTesting
import LifeboatAPI
import LocalStore
import YAML

/// `--simulate` and its tuning: a rehearsal in which every module is simulated. No AWS call is
/// made. The simulated cloud keeps its operations in the state directory (simulation.json), so
/// a rehearsal killed and run again adopts its operations instead of starting them again,
/// exactly as real modules adopt AWS operations. Parameter references stay unresolved strings.
struct SimulationOptions {
    static let ledgerFile = "simulation.json"

    var duration: GoDuration = .seconds(1)
    var failures: [(resource: String, reason: String)] = []
    var scriptPath: String?

    static let options: [OptionSpec] = [
        .flag("simulate", help: "Rehearse with simulated modules: no AWS calls (see docs/break-glass.md)."),
        .value("simulate-duration", name: "DURATION", help: "How long each simulated operation takes (default 1s)."),
        .value("simulate-fail", name: "RESOURCE[=REASON]", repeatable: true, help: "Make a resource's simulated operation fail."),
        .value("simulate-script", name: "FILE", help: "Per-resource durations and failures (YAML or JSON; docs/break-glass.md)."),
    ]

    /// nil without `--simulate`; the tuning options alone are a usage error.
    init?(_ arguments: ParsedArguments) throws(UsageError) {
        guard arguments.has("simulate") else {
            for option in ["simulate-duration", "simulate-fail", "simulate-script"] where !arguments.all(option).isEmpty {
                throw UsageError("--\(option) needs --simulate")
            }
            return nil
        }
        if let text = arguments.value("simulate-duration") {
            duration = try RunRequest.duration(text, option: "simulate-duration")
        }
        for item in arguments.all("simulate-fail") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard let resource = parts.first, !resource.isEmpty else { throw UsageError("--simulate-fail needs RESOURCE[=REASON]") }
            failures.append((resource, parts.count > 1 ? parts[1] : "simulated failure"))
        }
        scriptPath = arguments.value("simulate-script")
    }

    /// The per-resource scripts, checked against the plan (a name the plan lacks is a mistake).
    func scripts(for plan: DRPlanSpec) throws(UsageError) -> (defaults: ResourceScript, resources: [String: ResourceScript]) {
        var defaults = ResourceScript(pollHint: .seconds(1), duration: duration)
        var resources: [String: ResourceScript] = [:]
        if let scriptPath {
            let file = try ManifestSource.readFile(scriptPath)
            let value: JSONValue
            do { value = try YAML.parseDocument(file.text, file: file.name).value } catch {
                throw UsageError("--simulate-script: \(error)")
            }
            let top = try Self.object(value, at: scriptPath, keys: ["defaults", "resources"])
            if let entry = top["defaults"] { defaults = try Self.script(entry, base: defaults, at: "\(scriptPath): defaults") }
            for (name, entry) in try Self.object(top["resources"] ?? .object([:]), at: "\(scriptPath): resources", keys: nil) {
                resources[name] = try Self.script(entry, base: defaults, at: "\(scriptPath): resources.\(name)")
            }
        }
        for (resource, reason) in failures {
            resources[resource, default: defaults].ending = .fail(reason: reason, code: "SimulatedFailure")
        }
        let names = plan.allResources.map(\.name)
        for name in resources.keys.sorted() where !names.contains(name) {
            let hint = EditDistance.closest(to: name, in: names).map { " (did you mean \($0)?)" } ?? ""
            throw UsageError("the simulation names resource \"\(name)\", which the plan does not have\(hint)")
        }
        return (defaults, resources)
    }

    /// The simulated cloud of this state directory, continuing its ledger.
    func cloud(for plan: DRPlanSpec, in store: StateDirectory) throws -> SimulatedCloud {
        let (defaults, resources) = try scripts(for: plan)
        let path = store.file(Self.ledgerFile)
        // Appended without fsync: a rehearsal's ledger survives the process being killed (what
        // a rehearsal of a crash needs), not a power cut.
        let journal = SimulatedCloud.Journal(read: { try AtomicFile.readText(path) },
                                             write: { try AtomicFile.write($0, to: path) },
                                             append: { try AtomicFile.append($0, to: path, sync: false) })
        do {
            return try SimulatedCloud(scripts: resources, defaultScript: defaults, journal: journal, clock: WallClock.now)
        } catch let error as LocalStoreError {
            throw error
        } catch {
            throw LocalStoreError.damaged(path, "\(error)")
        }
    }

    /// Whether the state directory holds a rehearsal.
    static func isRehearsal(_ store: StateDirectory) -> Bool { FileSignature(store.file(ledgerFile)) != nil }

    private static let scriptKeys = ["duration", "fail", "code", "startError", "transientStartErrors", "transientCheckErrors", "preflightBlocks"]

    private static func script(_ value: JSONValue, base: ResourceScript, at place: String) throws(UsageError) -> ResourceScript {
        let entry = try object(value, at: place, keys: scriptKeys)
        var script = base
        func string(_ key: String) throws(UsageError) -> String? {
            guard let field = entry[key] else { return nil }
            guard let text = field.stringValue else { throw UsageError("\(place).\(key): expected a string") }
            return text
        }
        func count(_ key: String) throws(UsageError) -> Int? {
            guard let field = entry[key] else { return nil }
            guard let number = field.intValue, number >= 0 else { throw UsageError("\(place).\(key): expected a whole number ≥ 0") }
            return number
        }
        if let text = try string("duration") { script.duration = try RunRequest.duration(text, option: "simulate-script \(place).duration") }
        if let reason = try string("fail") { script.ending = .fail(reason: reason, code: try string("code") ?? "SimulatedFailure") }
        if let denied = try string("startError") { script.permanentStartError = denied }
        if let n = try count("transientStartErrors") { script.transientStartErrors = n }
        if let n = try count("transientCheckErrors") { script.transientCheckErrors = n }
        if let blocks = entry["preflightBlocks"] {
            guard let flag = blocks.boolValue else { throw UsageError("\(place).preflightBlocks: expected true or false") }
            script.preflightBlocks = flag
        }
        return script
    }

    private static func object(_ value: JSONValue, at place: String, keys: [String]?) throws(UsageError) -> JSONObject {
        guard let object = value.objectValue else { throw UsageError("\(place): expected a mapping, got \(value.typeName)") }
        if let keys {
            for key in object.keys where !keys.contains(key) {
                let hint = EditDistance.closest(to: key, in: keys).map { "did you mean \($0)?" } ?? "known: \(keys.joined(separator: ", "))"
                throw UsageError("\(place): unknown field \"\(key)\" (\(hint))")
            }
        }
        return object
    }
}
