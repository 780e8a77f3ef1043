/// An object with known keys. Unknown keys are errors (a misspelt key would otherwise be ignored
/// and the module would run with its default), with a "did you mean" hint.
public struct ObjectSchema: Sendable {
    public var fields: [ParameterField]
    public var rules: [ObjectRule]
    /// Keys the enterprise manifests used for a field that has another name or spelling here
    /// (old → new): renamed keys and the misspellings the enterprise code itself read (`Aias`).
    /// They get a precise error instead of a guess, and `drctl convert` renames them.
    public var formerNames: [String: String]

    public init(_ fields: [ParameterField], rules: [ObjectRule] = [], formerNames: [String: String] = [:]) {
        self.fields = fields
        self.rules = rules
        self.formerNames = formerNames
    }

    public func field(named name: String) -> ParameterField? { fields.first { $0.name == name } }
    public var fieldNames: [String] { fields.map(\.name) }
}
