/// Everything that can go wrong reading or decoding YAML, reduced to what a person needs to fix
/// it: where (file:line:column), which field (a Kubernetes-style path) and a plain sentence.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation?
    public var path: FieldPath?
    public var message: String

    public init(_ message: String, location: SourceLocation? = nil, path: FieldPath? = nil) {
        self.message = message
        self.location = location
        self.path = path
    }

    /// `file.yaml:3:5: spec.layers[0].name: message`; parts that are unknown are left out, and
    /// so is the root path, which would only say "<root>".
    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location.description) }
        if let path, !path.isRoot { parts.append(path.description) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

extension YAMLError {
    init(_ message: String, file: String?, mark: SourceMark?, path: FieldPath? = nil) {
        self.init(message, location: mark.map { SourceLocation(file: file, mark: $0) }, path: path)
    }
}

extension YAMLError {
    /// The same error seen from the parent: `component` is put in front of the path.
    func under(_ component: FieldPath.Component) -> YAMLError {
        var error = self
        error.path = FieldPath([component] + (path?.components ?? []))
        return error
    }
}
