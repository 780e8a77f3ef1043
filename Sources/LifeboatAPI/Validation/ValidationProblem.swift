import YAML

/// One thing wrong with a manifest: where (a JSON path, as Kubernetes names fields), what, and
/// how to fix it. Validation always returns every problem it finds, never just the first.
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    public var path: FieldPath
    public var message: String
    public var hint: String?
    public var severity: Severity

    public init(_ path: FieldPath, _ message: String, hint: String? = nil, severity: Severity = .error) {
        self.path = path
        self.message = message
        self.hint = hint
        self.severity = severity
    }

    public static func warning(_ path: FieldPath, _ message: String, hint: String? = nil) -> ValidationProblem {
        ValidationProblem(path, message, hint: hint, severity: .warning)
    }

    public var isError: Bool { severity == .error }

    /// `spec.layers[0].name: must be a DNS label (hint: use lower-case letters, digits and '-')`
    public var description: String {
        var text = "\(path): \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}

extension Array where Element == ValidationProblem {
    public var errors: [ValidationProblem] { filter(\.isError) }
    public var warnings: [ValidationProblem] { filter { !$0.isError } }
    public var hasErrors: Bool { contains(where: \.isError) }
}
