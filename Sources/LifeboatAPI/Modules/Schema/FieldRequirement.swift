/// Whether an object field must be present.
public enum FieldRequirement: Sendable, Hashable {
    case optional
    case required
    /// Required only when the resource runs one of these phases (AuroraMySQL `DBInstanceIdentifier`
    /// is needed to create readers and to delete them, not to fail over).
    case requiredFor([Phase])

    /// Whether the field is needed by a resource that runs `phases`.
    func isRequired(running phases: [Phase]) -> Bool {
        switch self {
        case .optional: false
        case .required: true
        case .requiredFor(let needing): needing.contains(where: phases.contains)
        }
    }

    /// "yes", "no", "for Instantiate, Cleanup" — the docs' Required column.
    public var summary: String {
        switch self {
        case .optional: "no"
        case .required: "yes"
        case .requiredFor(let phases): "for " + phases.map(\.rawValue).joined(separator: ", ")
        }
    }
}
