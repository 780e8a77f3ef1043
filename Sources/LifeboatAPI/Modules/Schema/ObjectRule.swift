/// A rule over several fields of one object, checked after each field's own schema.
public enum ObjectRule: Sendable {
    /// Exactly one of these keys must be present (DRS selectors).
    case exactlyOne([String])
    /// At least one of these keys must be present; when `phases` is given, only for resources
    /// that run one of them (OpenSearch needs a target size only to scale up).
    case atLeastOne([String], forPhases: [Phase]? = nil)
    /// When the first key is present the second must be too (`Weight` needs `SetIdentifier`).
    case requires(String, String)
    /// Anything else: the closure sees the object (well-typed fields can be read as literals)
    /// and returns its problems.
    case custom(@Sendable (ObjectCheckContext) -> [ValidationProblem])
}
