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
    public let drillDefault: DrillBehaviour
    /// The root object schema.
    public let parameters: ParameterSchema

    public init(name: ModuleName, summary: String, supportedPhases: [Phase], defaultTimeout: GoDuration,
                drillDefault: DrillBehaviour, parameters: ObjectSchema) {
        self.name = name
        self.summary = summary
        self.supportedPhases = Phase.allCases.filter(supportedPhases.contains)
        self.defaultTimeout = defaultTimeout
        self.drillDefault = drillDefault
        self.parameters = .object(parameters)
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
