/// A position in YAML text, 1-based like editors and compilers show it. Columns count Unicode
/// scalars (what libyaml counts), so a line of CJK text or emoji still lines up with the caret a
/// user would place by eye.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A mark together with the file it belongs to, rendered `file:line:column` so terminals and
/// editors turn it into a link.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var mark: SourceMark

    public init(file: String? = nil, mark: SourceMark) {
        self.file = file
        self.mark = mark
    }

    public var line: Int { mark.line }
    public var column: Int { mark.column }

    public var description: String {
        if let file { "\(file):\(mark.line):\(mark.column)" } else { "\(mark.line):\(mark.column)" }
    }
}
