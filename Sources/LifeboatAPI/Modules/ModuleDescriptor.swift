import YAML

/// What the API knows about one module without calling AWS: the phases it supports, its
/// defaults and the schema of its `parameters`.
public struct ModuleDescriptor: Sendable {
    public let name: ModuleName
    /// One line for docs and `--help`.
    public let summary: String
    /// In `Phase.allCases` order.
    public let supportedPhases: [Phase]
    public let defaultTimeout: GoDuration
    /// What a drill does with a resource of this module in each phase it supports, unless the
    /// resource says otherwise (`drill:`). Per phase because the risk differs: creating readers
    /// in the standby is harmless, a switchover is not.
    public let drillDefaults: [Phase: DrillBehaviour]
    /// The root object schema.
    public let parameters: ParameterSchema

    /// `drillDefault` holds for every supported phase but those `drillDefaultsByPhase` names.
    public init(name: ModuleName, summary: String, supportedPhases: [Phase], defaultTimeout: GoDuration,
                drillDefault: DrillBehaviour, drillDefaultsByPhase: [Phase: DrillBehaviour] = [:], parameters: ObjectSchema) {
        self.name = name
        self.summary = summary
        self.supportedPhases = Phase.allCases.filter(supportedPhases.contains)
        self.defaultTimeout = defaultTimeout
        self.drillDefaults = Dictionary(uniqueKeysWithValues: self.supportedPhases.map { ($0, drillDefaultsByPhase[$0] ?? drillDefault) })
        self.parameters = .object(parameters)
    }

    /// What a drill does in `phase` when the resource does not say. Drill Replicate only ever
    /// validates (API.md), whatever the module.
    public func drillDefault(for phase: Phase) -> DrillBehaviour {
        if phase == .replicate { return drillDefaults[phase] == .skip ? .skip : .validate }
        return drillDefaults[phase] ?? .skip
    }

    /// The defaults in words, e.g. "Execute" or "Instantiate: Execute, Activate: Validate".
    public var drillDefaultsDescription: String {
        let values = supportedPhases.map { drillDefault(for: $0) }
        if Set(values).count == 1, let only = values.first { return only.rawValue }
        return zip(supportedPhases, values).map { "\($0.rawValue): \($1.rawValue)" }.joined(separator: ", ")
    }

    /// Static checks, no I/O. `phases` are the phases this resource will run
    /// (`resource.phases ?? supportedPhases`), for requirements that depend on the phase. `path`
    /// is where `parameters` sits, e.g. `spec.layers[1].resources[0].parameters`. Returns every
    /// problem (errors and warnings). Absent parameters are checked as an empty object, so each
    /// missing required key is reported at its own path.
    public func validate(parameters: JSONValue?, phases: [Phase], at path: FieldPath) -> [ValidationProblem] {
        let value = parameters ?? .object(JSONObject())
        // The enterprise application manifest gave some modules a list of dicts; here they sit under Items.
        if case .array = value, self.parameters.objectSchema?.field(named: "Items") != nil {
            return [ValidationProblem(path, "expected object, got list",
                                      hint: "put the list under Items: parameters: { Items: [ … ] } (drctl convert does this)")]
        }
        var validator = SchemaValidator(phases: phases)
        validator.check(value, against: self.parameters, at: path)
        return validator.problems
    }
}
