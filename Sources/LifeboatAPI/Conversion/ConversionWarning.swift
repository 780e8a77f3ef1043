import YAML

/// Something `drctl convert` changed or guessed: a misspelling it mapped, a name it rewrote, a
/// resource it split. The plan is still produced; warnings tell the person what to review.
public struct ConversionWarning: Sendable, Hashable, CustomStringConvertible {
    /// The file the warning is about; nil when it concerns the whole conversion.
    public var source: String?
    /// Where in that file; nil when it concerns the whole file or the whole conversion.
    public var path: FieldPath?
    public var message: String

    public init(source: String?, path: FieldPath?, _ message: String) {
        self.source = source
        self.path = path
        self.message = message
    }

    /// `mf/p-web-ACTIVATE.json: [0].resources[0].parameters[0].Aias: …`
    public var description: String {
        var prefix: [String] = []
        if let source { prefix.append(source) }
        if let path, !path.isRoot { prefix.append(path.description) }
        return prefix.isEmpty ? message : prefix.joined(separator: ": ") + ": " + message
    }
}
