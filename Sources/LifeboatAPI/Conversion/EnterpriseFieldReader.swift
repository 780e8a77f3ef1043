import YAML

/// Reads the fields of one object of an enterprise manifest. The enterprise manifests were
/// written by hand and read by Python code that used exact keys, so the spellings drift
/// (`resourceName` / `ResourceName`); a key that differs only in case is read, with a warning,
/// and keys nobody reads are reported as ignored instead of disappearing silently.
struct EnterpriseFieldReader {
    let object: JSONObject
    let path: FieldPath
    let source: String
    private var used: Set<String> = []

    init(_ object: JSONObject, at path: FieldPath, source: String) {
        self.object = object
        self.path = path
        self.source = source
    }

    /// The value of `name` (exact, else ignoring case), with the key it was found under; a
    /// JSON null counts as absent, as it did for the enterprise code.
    mutating func take(_ name: String, warnings: inout [ConversionWarning]) -> (key: String, value: JSONValue)? {
        let key: String
        if object[name] != nil {
            key = name
        } else if let other = object.keys.first(where: { !used.contains($0) && $0.lowercased() == name.lowercased() }) {
            key = other
            warnings.append(ConversionWarning(source: source, path: path.key(other),
                                              "read \"\(other)\" as \"\(name)\" (the enterprise spelling is \"\(name)\")"))
        } else {
            return nil
        }
        used.insert(key)
        guard let value = object[key], value != .null else { return nil }
        return (key, value)
    }

    /// Warns about every key that no `take` asked for: the converter does not know what it
    /// meant, and the enterprise code did not read it either.
    func warnAboutIgnoredKeys(_ warnings: inout [ConversionWarning], known: [String]) {
        for key in object.keys where !used.contains(key) {
            warnings.append(ConversionWarning(source: source, path: path.key(key),
                                              "ignored \"\(key.prefix(80))\": not a field of this object (known: \(known.joined(separator: ", ")))"))
        }
    }
}
