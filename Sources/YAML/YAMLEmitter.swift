/// Writes a JSONValue as block-style YAML laid out like `kubectl get -o yaml`: two-space
/// indentation, sequences at their parent key's indentation (`items:\n- a: 1`), `[]` and `{}`
/// for empty collections, literal blocks for multi-line text.
struct YAMLEmitter {
    private(set) var output = ""

    /// Implicit keys longer than this would break libyaml's 1024-character simple-key limit.
    private static let maxImplicitKeyLength = 1000

    mutating func document(_ value: JSONValue) {
        switch value {
        case .object(let object) where !object.isEmpty:
            mapping(object, indent: 0, inline: false)
        case .array(let items) where !items.isEmpty:
            sequence(items, indent: 0, inline: false)
        default:
            // The root's parent indentation is -1 in libyaml's terms; 2 columns suit a literal.
            scalar(value, contentIndent: 2, leadingSpace: false)
        }
    }

    private mutating func mapping(_ object: JSONObject, indent: Int, inline: Bool) {
        var first = inline
        for (key, value) in object {
            if !first { output += String(repeating: " ", count: indent) }
            first = false
            let keyText = YAMLScalarWriter.inline(key, isKey: true)
            if keyText.utf8.count <= Self.maxImplicitKeyLength {
                output += keyText + ":"
                self.value(value, parentIndent: indent, sequenceIndent: indent)
            } else {
                // An explicit key has no length limit; its value goes on a `:` line, indented
                // sequences included, to keep the explicit form unambiguous.
                output += "? " + keyText + "\n" + String(repeating: " ", count: indent) + ":"
                self.value(value, parentIndent: indent, sequenceIndent: indent + 2)
            }
        }
    }

    /// Writes what follows `key:`.
    private mutating func value(_ value: JSONValue, parentIndent: Int, sequenceIndent: Int) {
        switch value {
        case .object(let object) where !object.isEmpty:
            output += "\n"
            mapping(object, indent: parentIndent + 2, inline: false)
        case .array(let items) where !items.isEmpty:
            output += "\n"
            sequence(items, indent: sequenceIndent, inline: false)
        default:
            scalar(value, contentIndent: parentIndent + 2, leadingSpace: true)
        }
    }

    private mutating func sequence(_ items: [JSONValue], indent: Int, inline: Bool) {
        var first = inline
        for item in items {
            if !first { output += String(repeating: " ", count: indent) }
            first = false
            output += "-"
            switch item {
            case .object(let object) where !object.isEmpty:
                output += " "
                mapping(object, indent: indent + 2, inline: true)
            case .array(let nested) where !nested.isEmpty:
                output += " "
                sequence(nested, indent: indent + 2, inline: true)
            default:
                scalar(item, contentIndent: indent + 2, leadingSpace: true)
            }
        }
    }

    /// A scalar or empty collection and its line break; literal block lines at `contentIndent`.
    private mutating func scalar(_ value: JSONValue, contentIndent: Int, leadingSpace: Bool) {
        if leadingSpace { output += " " }
        switch value {
        case .null: output += "null\n"
        case .bool(let bool): output += bool ? "true\n" : "false\n"
        case .int(let int): output += String(int) + "\n"
        case .double(let double): output += YAMLScalarWriter.number(double) + "\n"
        case .array: output += "[]\n"
        case .object: output += "{}\n"
        case .string(let string):
            if YAMLScalarWriter.style(for: string, isKey: false) == .literal {
                let block = YAMLScalarWriter.literal(string, indent: contentIndent)
                output += block.header + "\n" + block.body
            } else {
                output += YAMLScalarWriter.inline(string, isKey: false) + "\n"
            }
        }
    }
}
