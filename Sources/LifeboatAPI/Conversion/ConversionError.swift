import YAML

/// Why `drctl convert` cannot produce a plan: which file, where in it, what is wrong and how to
/// fix it. Conversion stops at the first error because a half-converted plan would mislead more
/// than it helps; everything that can be converted with a guess is a `ConversionWarning` instead.
public struct ConversionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or other input) the problem is in, as the caller named it.
    public var source: String
    /// Where in that file; `FieldPath.root` when the problem is the whole input.
    public var path: FieldPath
    public var message: String
    public var hint: String?

    public init(source: String, path: FieldPath = .root, _ message: String, hint: String? = nil) {
        self.source = source
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// `mf/p-web-ACTIVATE.json: [0].resources[1].action: unknown module "Foo" (hint: …)`
    public var description: String {
        var text = source
        if !path.isRoot { text += ": \(path)" }
        text += ": \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}
