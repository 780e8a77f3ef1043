import YAML

/// An `AccountId` found in an enterprise resource, and where: the enterprise put it at resource
/// level for some modules and inside `parameters` (or each list item) for others, so one
/// resource can carry several copies that must agree.
struct FoundAccount: Sendable, Hashable {
    let value: String
    let path: FieldPath
}

enum EnterpriseAccountID {
    private static let digits = 12

    /// The account id as a string. A JSON number has lost its leading zeros (`011111111111`
    /// becomes `11111111111`), so it is padded back to 12 digits, with a warning.
    static func normalize(_ value: JSONValue, at path: FieldPath, source: String,
                          warnings: inout [ConversionWarning]) throws(ConversionError) -> String? {
        let number: Int
        switch value {
        case .null:
            return nil
        case .string(let text):
            let trimmed = text.conversionTrimmed()
            return trimmed.isEmpty ? nil : trimmed
        case .int(let n):
            number = n
        case .double(let d) where d.isFinite && d >= 0 && d < 1e12 && d == d.rounded(.towardZero):
            number = Int(d)
        default:
            throw ConversionError(source: source, path: path, "an AccountId is a 12-digit string, got \(value.typeName)",
                                  hint: "write it quoted, e.g. \"011111111111\"")
        }
        let text = String(number)
        let padded = number >= 0 && text.count < digits ? String(repeating: "0", count: digits - text.count) + text : text
        warnings.append(ConversionWarning(source: source, path: path,
            "AccountId is the number \(text), read as \"\(padded)\" (JSON numbers lose leading zeros; quote account ids)"))
        return padded
    }

    /// The one account the copies agree on, nil when there are none; conflicting copies are an
    /// error because either choice could act on the wrong account.
    static func agreed(_ found: [FoundAccount], source: String) throws(ConversionError) -> String? {
        guard let first = found.first else { return nil }
        if let other = found.first(where: { $0.value != first.value }) {
            throw ConversionError(source: source, path: other.path,
                                  "conflicting AccountId values: \"\(other.value.prefix(40))\" here and \"\(first.value.prefix(40))\" at \(first.path)",
                                  hint: "one resource acts in one account; split it into one resource per account")
        }
        return first.value
    }
}
