import YAML

/// Checks a document against a structural schema and returns every problem, each with its path
/// and a hint — the checks the API server runs on `kubectl apply`, worded for a person.
public struct StructuralValidator {
    /// What the check found, and which values a typed decoder could not read.
    public struct Report: Sendable {
        public var problems: [ValidationProblem] = []
        /// Values that stop the Swift types from decoding: wrong type, unsupported enum value,
        /// null, missing required field. The replacement lets the rest be checked anyway (a
        /// number where a string belongs is read as its text); nil means the value must go.
        public var decodingBlockers: [FieldPath: JSONValue?] = [:]
    }

    private var regexCache: [String: Regex<AnyRegexOutput>?] = [:]
    private var report = Report()

    public init() {}

    public static func validate(_ value: JSONValue, against schema: StructuralSchema,
                                at path: FieldPath = .root) -> [ValidationProblem] {
        check(value, against: schema, at: path).problems
    }

    public static func check(_ value: JSONValue, against schema: StructuralSchema,
                             at path: FieldPath = .root) -> Report {
        var validator = StructuralValidator()
        validator.check(value, schema, path)
        return validator.report
    }

    private mutating func report(_ path: FieldPath, _ message: String, hint: String? = nil,
                                 blocksDecoding: Bool = false, replacement: JSONValue? = nil) {
        report.problems.append(ValidationProblem(path, message, hint: hint))
        if blocksDecoding { report.decodingBlockers[path] = .some(replacement) }
    }

    private mutating func check(_ value: JSONValue, _ schema: StructuralSchema, _ path: FieldPath) {
        if value == .null {
            // The API server drops nulls for fields with a default and rejects them otherwise.
            if schema.defaultValue == nil, !schema.preservesUnknownFields {
                report(path, "must not be null", hint: "remove the field or give it a value", blocksDecoding: true)
            }
            return
        }
        guard checkType(value, schema, path) else { return }
        if let allowed = schema.enumValues, !allowed.contains(value) {
            let list = allowed.map { $0.stringValue ?? "\($0)" }.joined(separator: ", ")
            report(path, "unsupported value \(Self.quote(value)): must be one of \(list)",
                   hint: Self.closest(to: value.stringValue, in: allowed.compactMap(\.stringValue)).map { "did you mean \($0)?" },
                   blocksDecoding: true)
        }
        switch value {
        case .string(let string): checkString(string, schema, path)
        case .int, .double: checkNumber(value.numberValue ?? 0, schema, path)
        case .array(let elements): checkArray(elements, schema, path)
        case .object(let object): checkObject(object, schema, path)
        default: break
        }
    }

    private mutating func checkType(_ value: JSONValue, _ schema: StructuralSchema, _ path: FieldPath) -> Bool {
        guard let type = schema.type else { return true }
        let matches = switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("integer", .int), ("array", .array), ("object", .object): true
        case ("number", .int), ("number", .double): true
        case ("integer", .double(let d)): d == d.rounded() && abs(d) < 9.2e18
        default: false
        }
        if !matches {
            var hint: String?
            if type == "string", case .int(let i) = value { hint = "quote it: \"\(i)\"" }
            else if type == "string", case .bool(let b) = value { hint = "quote it: \"\(b)\" (unquoted it reads as a boolean)" }
            else if type == "integer" || type == "boolean", case .string(let s) = value { hint = "write it without quotes: \(s)" }
            let asText: JSONValue? = switch (type, value) {
            case ("string", .int(let i)): .string(String(i))
            case ("string", .bool(let b)): .string(String(b))
            case ("string", .double(let d)): .string(String(d))
            default: nil
            }
            report(path, "expected \(type), got \(value.typeName) \(Self.preview(value))", hint: hint,
                   blocksDecoding: true, replacement: asText)
        }
        return matches
    }

    private mutating func checkString(_ string: String, _ schema: StructuralSchema, _ path: FieldPath) {
        let length = string.unicodeScalars.count
        if let min = schema.minLength, length < min {
            report(path, min == 1 ? "must not be empty" : "must be at least \(min) characters long")
        }
        if let max = schema.maxLength, length > max { report(path, "must be at most \(max) characters long (got \(length))") }
        if let pattern = schema.pattern, !matches(string, pattern) {
            let known = PatternDescriptions.describe(pattern)
            report(path, "invalid value \"\(string)\": \(known?.what ?? "must match \(pattern)")", hint: known?.hint,
                   blocksDecoding: known?.parsedBySwiftTypes ?? false)
        }
        if schema.format == "date-time", (try? Timestamp(parsing: string)) == nil {
            report(path, "invalid timestamp \"\(string)\"", hint: "write RFC 3339, e.g. 2026-11-21T22:18:47Z", blocksDecoding: true)
        }
    }

    private mutating func checkNumber(_ number: Double, _ schema: StructuralSchema, _ path: FieldPath) {
        if let min = schema.minimum, number < min { report(path, "must be at least \(Self.format(min)) (got \(Self.format(number)))") }
        if let max = schema.maximum, number > max { report(path, "must be at most \(Self.format(max)) (got \(Self.format(number)))") }
    }

    private mutating func checkArray(_ elements: [JSONValue], _ schema: StructuralSchema, _ path: FieldPath) {
        if let min = schema.minItems, elements.count < min {
            report(path, min == 1 ? "must have at least one item" : "must have at least \(min) items")
        }
        if let max = schema.maxItems, elements.count > max { report(path, "must have at most \(max) items (got \(elements.count))") }
        if let items = schema.items {
            for (index, element) in elements.enumerated() { check(element, items, path / index) }
        }
        switch schema.listType {
        case "set":
            var seen: Set<JSONValue> = []
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                report(path / index, "duplicate value \(Self.quote(element))", hint: "list each value once")
            }
        case "map" where !schema.listMapKeys.isEmpty:
            var seen: Set<[JSONValue]> = []
            for (index, element) in elements.enumerated() {
                let key = schema.listMapKeys.map { element[$0] ?? .null }
                guard !key.contains(.null) else { continue }
                if !seen.insert(key).inserted {
                    let described = zip(schema.listMapKeys, key).map { "\($0)=\(Self.quote($1))" }.joined(separator: ", ")
                    report(path / index / schema.listMapKeys[0], "duplicate entry with \(described)",
                           hint: "each entry of \(path) needs a unique \(schema.listMapKeys.joined(separator: "/"))")
                }
            }
        default:
            break
        }
    }

    private mutating func checkObject(_ object: JSONObject, _ schema: StructuralSchema, _ path: FieldPath) {
        if let max = schema.maxProperties, object.count > max {
            report(path, "must have at most \(max) fields (got \(object.count))")
        }
        for name in schema.required where object[name] == nil {
            report(path / name, "required field is missing", blocksDecoding: true)
        }
        for (key, child) in object {
            // ObjectMeta is validated by the API server itself (and by MetadataRules here);
            // CRDs may only say `metadata: {type: object}`.
            if path.isRoot, key == "metadata" { continue }
            if let sub = schema.property(key) ?? schema.additionalProperties {
                check(child, sub, path / key)
            } else if !schema.preservesUnknownFields {
                let suggestion = Self.closest(to: key, in: schema.properties.map(\.name))
                let known = schema.properties.map(\.name)
                report(path / key, "unknown field \"\(key)\"",
                       hint: suggestion.map { "did you mean \($0)?" }
                           ?? (known.isEmpty ? "remove it" : "remove it; known fields: \(known.joined(separator: ", "))"))
            }
        }
    }

    private mutating func matches(_ string: String, _ pattern: String) -> Bool {
        if regexCache[pattern] == nil { regexCache[pattern] = .some(try? Regex(pattern)) }
        guard let regex = regexCache[pattern] ?? nil else { return true }
        return string.contains(regex)
    }

    static func quote(_ value: JSONValue) -> String { value.stringValue.map { "\"\($0)\"" } ?? "\(value)" }

    static func preview(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        default: ""
        }
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    static func closest(to word: String?, in candidates: [String]) -> String? {
        guard let word else { return nil }
        return EditDistance.closest(to: word, in: candidates)
    }
}

/// Plain-language descriptions of the patterns used in crds/, so a failed match says what is
/// expected instead of printing a regular expression.
enum PatternDescriptions {
    /// `parsedBySwiftTypes`: the Swift type parses such a string (GoDuration), so a value that
    /// fails the pattern cannot be decoded either.
    static func describe(_ pattern: String) -> (what: String, hint: String, parsedBySwiftTypes: Bool)? {
        switch pattern {
        case "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$":
            ("must be a DNS label", "use lower-case letters, digits and '-', starting and ending with a letter or digit", false)
        case "^[0-9]{12}$":
            ("must be a 12-digit AWS account id", "write all 12 digits, quoted, e.g. \"111111111111\"", false)
        case "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$":
            ("must be an AWS region name", "for example us-east-1 or eu-west-2", false)
        case "^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$":
            ("must be a duration", "write a number and a unit (ms, s, m, h), e.g. 45m, 4h or 1h30m", true)
        case "^[\\w+=,.@-]{1,64}$":
            ("must be an IAM role name", "1-64 letters, digits and +=,.@_-", false)
        default:
            nil
        }
    }
}
