import YAML

/// Walks a value against a `ParameterSchema` and collects every problem (never stops at the
/// first). Recursion follows the schema, which is a few levels deep, so hostile input cannot
/// exhaust the stack; free JSON is walked iteratively by `ParameterReference.referenceProblems`.
struct SchemaValidator {
    /// The phases the resource runs, for phase-dependent requirements.
    let phases: [Phase]
    private(set) var problems: [ValidationProblem] = []

    init(phases: [Phase]) { self.phases = phases }

    mutating func check(_ value: JSONValue, against schema: ParameterSchema, at path: FieldPath) {
        if case .any = schema {
            problems += ParameterReference.referenceProblems(in: value, at: path)
            return
        }
        // Any string may be a reference resolved at run time: a good one stands in for any type
        // (an SSM StringList for a list, "4" for an integer); a malformed one is reported as such.
        if case .string(let text) = value, let parsed = ParameterReference.parse(text) {
            if case .failure = parsed, let problem = ParameterReference.referenceProblem(text, at: path) {
                problems.append(problem)
            }
            return
        }
        switch schema {
        case .any:
            break
        case .string(let rule):
            guard case .string(let text) = value else { return mismatch("string", value, path) }
            checkString(text, rule, at: path)
        case .integer(let rule):
            guard let number = value.literalInt else { return mismatch("integer", value, path) }
            if let message = rule.problem(with: number) { problems.append(ValidationProblem(path, message, hint: rule.hint)) }
        case .boolean(let acceptsYesNo):
            checkBoolean(value, acceptsYesNo: acceptsYesNo, at: path)
        case .timestamp:
            guard case .string(let text) = value else { return mismatch("timestamp string", value, path) }
            if ParameterTimestamp(parsing: text) == nil {
                problems.append(ValidationProblem(path, "\"\(text.truncatedForMessage)\" is not a timestamp",
                                                  hint: ParameterTimestamp.formatHint))
            }
        case .stringOrList(let rule, let listRule):
            switch value {
            case .string(let text): checkString(text, rule, at: path)
            case .array: checkList(value, item: .string(rule), listRule, at: path)
            default: mismatch("string or list of strings", value, path)
            }
        case .list(let item, let rule):
            checkList(value, item: item, rule, at: path)
        case .stringMap(let valueRule, let minEntries):
            checkStringMap(value, valueRule, minEntries: minEntries, at: path)
        case .object(let schema):
            checkObject(value, schema, at: path)
        }
    }

    // MARK: - Scalars

    private mutating func checkString(_ text: String, _ rule: StringRule, at path: FieldPath) {
        let length = text.characterCount
        if length < rule.minLength {
            let message = length == 0 ? "must not be empty" : "is too short (\(length) characters); must be at least \(rule.minLength)"
            problems.append(ValidationProblem(path, message, hint: rule.format?.hint ?? rule.lengthHint))
            return
        }
        if let maxLength = rule.maxLength, length > maxLength {
            problems.append(ValidationProblem(path, "is too long (\(length) characters); must be at most \(maxLength)",
                                              hint: rule.format?.hint ?? rule.lengthHint))
            return
        }
        if let allowed = rule.allowedValues, !allowed.contains(text) {
            let guess = allowed.first { $0.lowercased() == text.lowercased() }
            problems.append(ValidationProblem(
                path, "unsupported value \"\(text.truncatedForMessage)\": must be one of \(allowed.joined(separator: ", "))",
                hint: guess.map { "did you mean \($0)? Values are case-sensitive" } ?? "use one of \(allowed.joined(separator: ", "))"))
            return
        }
        if let format = rule.format, let message = format.problem(with: text) {
            problems.append(ValidationProblem(path, message, hint: format.hint))
        }
    }

    private mutating func checkBoolean(_ value: JSONValue, acceptsYesNo: Bool, at path: FieldPath) {
        switch value {
        case .bool:
            return
        case .string(let text) where acceptsYesNo && (text == "Yes" || text == "No"):
            return
        case .string(let text):
            let lowered = text.lowercased()
            let hint: String? = if acceptsYesNo && ["yes", "no"].contains(lowered) {
                "write true or false (or exactly \"Yes\" / \"No\")"
            } else if ["true", "false", "yes", "no", "on", "off"].contains(lowered) {
                "write true or false without quotes"
            } else { acceptsYesNo ? "write true or false (or \"Yes\" / \"No\")" : "write true or false" }
            problems.append(ValidationProblem(path, "expected boolean, got \(value.messageDescription)", hint: hint))
        default:
            mismatch("boolean", value, path)
        }
    }

    // MARK: - Containers

    private mutating func checkList(_ value: JSONValue, item: ParameterSchema, _ rule: ListRule, at path: FieldPath) {
        guard case .array(let items) = value else { return mismatch("list", value, path) }
        if items.count < rule.minItems {
            let message = items.isEmpty ? "must not be empty" : "must have at least \(rule.minItems) items, has \(items.count)"
            problems.append(ValidationProblem(path, message, hint: "list at least \(rule.minItems) \(rule.minItems == 1 ? "item" : "items")"))
        }
        if let maxItems = rule.maxItems, items.count > maxItems {
            problems.append(ValidationProblem(path, "has \(items.count) items; at most \(maxItems) are allowed",
                                              hint: "split the items across several resources"))
        }
        for (index, element) in items.enumerated() { check(element, against: item, at: path.index(index)) }
        guard let unique = rule.unique else { return }
        var firstIndex: [String: Int] = [:]
        for (index, element) in items.enumerated() {
            guard let key = unique.key(element) else { continue }
            if let first = firstIndex[key] {
                problems.append(ValidationProblem(path.index(index), "duplicate of \(path.index(first)): \(unique.what)",
                                                  hint: "list each item once", severity: unique.severity))
            } else {
                firstIndex[key] = index
            }
        }
    }

    private mutating func checkStringMap(_ value: JSONValue, _ valueRule: StringRule, minEntries: Int, at path: FieldPath) {
        guard case .object(let object) = value else { return mismatch("map of strings", value, path) }
        if object.count < minEntries {
            problems.append(ValidationProblem(path, "must have at least \(minEntries) \(minEntries == 1 ? "entry" : "entries")",
                                              hint: "e.g. { Application: payments }"))
        }
        for (key, entry) in object {
            if key.trimmingWhitespace().isEmpty {
                problems.append(ValidationProblem(path.key(key), "key must not be empty or blank",
                                                  hint: "name the key, e.g. Application: payments"))
            }
            switch entry {
            // YAML turns `Tier: 1` or `Enabled: true` into numbers and booleans; the value is meant as text.
            case .int, .double, .bool:
                problems.append(ValidationProblem(path.key(key), "expected string, got \(entry.messageDescription)",
                                                  hint: "quote the value: \(key): \"\(entry.plainText)\""))
            default:
                check(entry, against: .string(valueRule), at: path.key(key))
            }
        }
    }

    private mutating func checkObject(_ value: JSONValue, _ schema: ObjectSchema, at path: FieldPath) {
        guard case .object(let object) = value else { return mismatch("object", value, path) }
        for (key, entry) in object {
            if let field = schema.field(named: key) {
                check(entry, against: field.schema, at: path.key(key))
            } else {
                problems.append(unknownKey(key, schema, at: path))
            }
        }
        for field in schema.fields where object[field.name] == nil && field.requirement.isRequired(running: phases) {
            problems.append(missing(field, at: path))
        }
        let context = ObjectCheckContext(object: object, path: path, phases: phases)
        for rule in schema.rules { problems += Self.problems(of: rule, in: context) }
    }

    // MARK: - Reports

    private mutating func mismatch(_ expected: String, _ value: JSONValue, _ path: FieldPath) {
        let hint: String?
        switch value {
        case .null:
            hint = "give a value or remove the key"
        case .string(let text) where expected == "integer" && Int(text.trimmingWhitespace()) != nil:
            hint = "write \(text.trimmingWhitespace()) without quotes"
        case .string where expected == "list":
            hint = "write a list, e.g. [\"value\"], or a reference such as \"resolve:ssm:/name\""
        case .int, .double, .bool:
            // `where` would bind to .bool only, so the test is inside.
            hint = expected.hasPrefix("string")
                ? "quote the value: \"\(value.plainText)\"" : Self.exampleHint[expected]
        default:
            hint = Self.exampleHint[expected]
        }
        problems.append(ValidationProblem(path, "expected \(expected), got \(value.messageDescription)", hint: hint))
    }

    /// What a value of each expected kind looks like.
    private static let exampleHint: [String: String] = [
        "string": "write text, e.g. orders-usw2",
        "integer": "write a whole number, e.g. 3",
        "boolean": "write true or false",
        "timestamp string": ParameterTimestamp.formatHint,
        "string or list of strings": "write one value or a list, e.g. [orders-1, orders-2]",
        "list": "write a list, e.g. [a, b]",
        "map of strings": "write key: value pairs, e.g. { Application: payments }",
        "object": "write key: value pairs",
    ]

    private func missing(_ field: ParameterField, at path: FieldPath) -> ValidationProblem {
        switch field.requirement {
        case .requiredFor(let needing):
            let running = needing.filter(phases.contains).map(\.rawValue).joined(separator: " and ")
            return ValidationProblem(path.key(field.name), "required parameter is missing (needed to run \(running))",
                                     hint: "add \(field.name) (\(field.schema.typeDescription)), or leave \(running) out of the resource's phases")
        case .required, .optional:
            return ValidationProblem(path.key(field.name), "required parameter is missing",
                                     hint: "add \(field.name) (\(field.schema.typeDescription))")
        }
    }

    private func unknownKey(_ key: String, _ schema: ObjectSchema, at path: FieldPath) -> ValidationProblem {
        if key.lowercased() == "accountid" {
            return ValidationProblem(path.key(key), "AccountId is not a module parameter",
                                     hint: "set the resource's accountId field instead (drctl convert moves it there)")
        }
        if let newName = schema.formerNames[key] {
            return ValidationProblem(path.key(key), "unknown parameter \"\(key)\": the enterprise spelling of \(newName)",
                                     hint: "did you mean \(newName)? Rename it (drctl convert does this)")
        }
        let hint = EditDistance.closest(to: key, in: schema.fieldNames).map { "did you mean \($0)?" }
            ?? "known parameters: \(schema.fieldNames.joined(separator: ", "))"
        return ValidationProblem(path.key(key), "unknown parameter \"\(key.truncatedForMessage)\"", hint: hint)
    }

    private static func problems(of rule: ObjectRule, in context: ObjectCheckContext) -> [ValidationProblem] {
        switch rule {
        case .exactlyOne(let keys):
            let given = keys.filter(context.has)
            if given.isEmpty {
                return [ValidationProblem(context.path, "give exactly one of \(keys.joined(separator: ", "))",
                                          hint: "add one of \(keys.joined(separator: ", "))")]
            }
            return given.dropFirst().map { key in
                ValidationProblem(context.path(key), "\(given[0]) and \(key) are both given; give exactly one of \(keys.joined(separator: ", "))",
                                  hint: "remove \(key) or \(given[0])")
            }
        case .atLeastOne(let keys, let forPhases):
            let needing = forPhases.map { $0.filter(context.phases.contains) } ?? []
            if forPhases != nil && needing.isEmpty { return [] }
            guard !keys.contains(where: context.has) else { return [] }
            let when = needing.isEmpty ? "" : " to run \(needing.map(\.rawValue).joined(separator: " and "))"
            return [ValidationProblem(context.path, "give at least one of \(keys.joined(separator: ", "))\(when)",
                                      hint: "add \(keys[0])" + (needing.isEmpty ? "" : ", or leave \(needing.map(\.rawValue).joined(separator: " and ")) out of the resource's phases"))]
        case .requires(let key, let needed):
            guard context.has(key), !context.has(needed) else { return [] }
            return [ValidationProblem(context.path(key), "\(key) requires \(needed)", hint: "add \(needed), or remove \(key)")]
        case .custom(let check):
            return check(context)
        }
    }
}

extension JSONValue {
    /// The value as it would be written unquoted (for "quote the value" hints).
    var plainText: String {
        switch self {
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s.truncatedForMessage
        default: messageDescription
        }
    }
}
