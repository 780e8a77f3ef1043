import CYAML

/// Turns libyaml's error state (problem, context, marks) into a YAMLError with a 1-based position
/// and a sentence a person can act on, adding hints for the mistakes people actually make.
struct LibYAMLErrorTranslator {
    let text: String
    let file: String?

    func error(from parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "the YAML is malformed"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError("the YAML parser ran out of memory", location: nil)
        case YAML_READER_ERROR:
            // Reader errors carry a byte offset rather than a mark.
            let mark = mark(atByteOffset: Int(parser.problem_offset))
            var message = problem
            if parser.problem_value >= 0 {
                message += " (found \(Self.codePoint(UInt32(parser.problem_value))))"
            }
            if problem.contains("control characters") {
                message += "; write it as an escape inside double quotes, e.g. \"\\t\" or \"\\u0007\""
            }
            return YAMLError(message, file: file, mark: mark)
        default:
            let mark = LibYAMLEventReader.mark(parser.problem_mark)
            var message = problem
            if let context = parser.context.map({ String(cString: $0) }) {
                let contextMark = LibYAMLEventReader.mark(parser.context_mark)
                message += " " + context
                // "while scanning for the next token" marks the problem itself; a start adds nothing.
                if contextMark != mark {
                    message += " that starts at line \(contextMark.line), column \(contextMark.column)"
                }
            }
            if let hint = hint(problem: problem, at: mark) { message = hint + " (" + message + ")" }
            return YAMLError(message, file: file, mark: mark)
        }
    }

    /// Rewrites the lead of the message for recognisable mistakes; the original libyaml wording
    /// stays in parentheses so nothing is lost.
    private func hint(problem: String, at mark: SourceMark) -> String? {
        let line = self.line(mark.line)
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        if indentation.contains("\t") || problem.contains("tab") || character(in: line, column: mark.column) == "\t" {
            return "found a tab character where indentation is expected; YAML indentation must use spaces"
        }
        if problem == "did not find expected key" || problem == "did not find expected '-' indicator" {
            return "this line is not indented consistently with the lines above it"
        }
        return nil
    }

    private func line(_ number: Int) -> Substring {
        var current = 1
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if current == number { break }
            if text[index] == "\n" || text[index] == "\r\n" {
                current += 1
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        guard current == number else { return "" }
        let end = text[start...].firstIndex { $0 == "\n" || $0 == "\r\n" } ?? text.endIndex
        return text[start..<end]
    }

    private func character(in line: Substring, column: Int) -> Unicode.Scalar? {
        let scalars = line.unicodeScalars
        guard column >= 1, column <= scalars.count else { return nil }
        return scalars[scalars.index(scalars.startIndex, offsetBy: column - 1)]
    }

    private func mark(atByteOffset offset: Int) -> SourceMark {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += UTF8.width(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return SourceMark(line: line, column: column)
    }

    private static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
