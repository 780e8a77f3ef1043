/// A parameter value that is resolved at run time, in the target account and acting region
/// (MODULES.md "Parameter references"). Only the syntax lives here; resolution needs AWS.
///
/// Accepted spellings:
/// - `resolve:ssm:<name>` and `resolve:ssm:<name>:<version>` (the enterprise spelling),
/// - `{{resolve:ssm:<name>}}` and `{{resolve:ssm:<name>:<version>}}` (CloudFormation's spelling),
/// - `!Import <ExportName>` (a CloudFormation export; quote it in YAML, or `!Import` is read as a tag).
public enum ParameterReference: Sendable, Hashable, CustomStringConvertible {
    /// ssm:GetParameter WithDecryption; `version` nil means the latest version.
    case ssm(name: String, version: Int?)
    /// cloudformation:ListExports, the export whose Name matches.
    case cloudFormationExport(name: String)

    /// The canonical spelling (`resolve:ssm:/a/b:3`, `!Import name`).
    public var description: String {
        switch self {
        case .ssm(let name, nil): "resolve:ssm:\(name)"
        case .ssm(let name, let version?): "resolve:ssm:\(name):\(version)"
        case .cloudFormationExport(let name): "!Import \(name)"
        }
    }

    /// Parses a string value.
    /// - Returns: nil when the text is not meant as a reference at all; `.failure` when it looks
    ///   like one (starts with `resolve:`, `{{resolve`, `!Import`, or embeds `{{resolve:`) but is
    ///   malformed — a silent fallback to the literal text would send `resolve:ssn:/x` to AWS.
    public static func parse(_ text: String) -> Result<ParameterReference, ReferenceSyntaxError>? {
        func fail(_ message: String, _ hint: String? = nil) -> Result<ParameterReference, ReferenceSyntaxError> {
            .failure(ReferenceSyntaxError(text: text, message: message, hint: hint))
        }
        if cannotBeReference(text) { return nil }
        let trimmed = text.trimmingWhitespace()
        let lower = trimmed.lowercased()

        if lower.hasPrefix("!import") {
            // "!important" in a payload is prose, not a reference; "!Import…" and "!import x" are meant as one.
            let afterKeyword = trimmed.dropFirst("!import".count)
            guard trimmed.hasPrefix("!Import") || afterKeyword.isEmpty || afterKeyword.first!.isWhitespace else { return nil }
            guard trimmed == text || trimmed == "!Import" else {
                return fail("leading or trailing whitespace", "write exactly \"!Import <ExportName>\"")
            }
            return parseImport(text, fail: fail)
        }

        let isBraced = lower.hasPrefix("{{resolve")
        guard lower.hasPrefix("resolve:") || isBraced else {
            if lower.contains("{{resolve:") {
                return fail("a reference must be the whole value; references inside longer strings are not substituted",
                            "store the whole value in SSM and write \"resolve:ssm:<name>\"")
            }
            return nil
        }
        guard trimmed == text else {
            return fail("leading or trailing whitespace", "remove the spaces around the reference")
        }
        var body = Substring(text)
        if isBraced {
            guard body.hasSuffix("}}") else { return fail("missing the closing \"}}\"", "write {{resolve:ssm:<name>}}") }
            body = body.dropFirst(2).dropLast(2)
            guard body.hasPrefix("resolve:") else { return fail("expected \"{{resolve:ssm:<name>}}\"", "write {{resolve:ssm:<name>}}") }
        }
        body = body.dropFirst("resolve:".count)
        let resolver = body.prefix { $0 != ":" }
        if resolver == "ssm" && body.count == resolver.count {
            return fail("no SSM parameter name after \"resolve:ssm\"", "write resolve:ssm:/path/to/parameter")
        }
        guard resolver == "ssm" else {
            return fail(unsupportedResolverMessage(String(resolver)), unsupportedResolverHint(String(resolver)))
        }
        return parseSSM(body.dropFirst(resolver.count + 1), fail: fail)
    }

    /// Most parameter values are plain names: they start with a visible ASCII character that
    /// opens no reference spelling (`r`/`R`, `{`, `!`) and contain no `{{`. Deciding that from the
    /// bytes keeps a plan's validation and every module call from lowercasing every value.
    private static func cannotBeReference(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, first > 0x20, first < 0x7F else { return false }
        switch first {
        case UInt8(ascii: "r"), UInt8(ascii: "R"), UInt8(ascii: "{"), UInt8(ascii: "!"): return false
        default: break
        }
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "{") && previous == byte { return false }
            previous = byte
        }
        return true
    }

    private static func parseImport(
        _ text: String, fail: (String, String?) -> Result<ParameterReference, ReferenceSyntaxError>
    ) -> Result<ParameterReference, ReferenceSyntaxError> {
        guard text.hasPrefix("!Import") else { return fail("the keyword is spelled \"!Import\"", "write \"!Import <ExportName>\"") }
        let rest = text.dropFirst("!Import".count)
        guard rest.isEmpty || rest.first == " " else {
            return fail("\"!Import\" must be followed by a space and the export name",
                        "write \"!Import <ExportName>\" (CloudFormation's !ImportValue is spelled !Import here)")
        }
        let name = rest.dropFirst()
        guard !name.isEmpty else { return fail("no export name after \"!Import\"", "write \"!Import <ExportName>\"") }
        guard !name.contains(where: { $0.isWhitespace }) else {
            return fail("export name \"\(name)\" contains spaces", "an export name is one word: \"!Import <ExportName>\"")
        }
        guard name.count <= 255 else { return fail("export name is longer than 255 characters", "CloudFormation export names have at most 255 characters") }
        return .success(.cloudFormationExport(name: String(name)))
    }

    private static func parseSSM(
        _ body: Substring, fail: (String, String?) -> Result<ParameterReference, ReferenceSyntaxError>
    ) -> Result<ParameterReference, ReferenceSyntaxError> {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        // A shared parameter is named by its ARN, which has colons of its own (arn:partition:ssm:region:account:parameter/name).
        let nameParts = parts.first == "arn" ? min(6, parts.count) : 1
        let name = parts.prefix(nameParts).joined(separator: ":")
        let versionParts = parts.dropFirst(nameParts)
        guard !name.isEmpty else { return fail("no SSM parameter name after \"resolve:ssm:\"", "write resolve:ssm:/path/to/parameter") }
        if let problem = ssmNameProblem(name) { return fail(problem, "SSM names use letters, digits and _ . - /, e.g. resolve:ssm:/dr/orders/endpoint") }
        guard let versionText = versionParts.first else { return .success(.ssm(name: name, version: nil)) }
        guard versionParts.count == 1 else {
            return fail("too many ':' after the parameter name", "write resolve:ssm:<name> or resolve:ssm:<name>:<version>")
        }
        guard !versionText.isEmpty, versionText.count <= 9, versionText.allSatisfy(\.isASCIIDigit),
              let version = Int(versionText), version >= 1
        else {
            return fail("SSM parameter version \"\(versionText)\" is not a positive whole number",
                        "write resolve:ssm:\(name):3 for version 3, or resolve:ssm:\(name) for the latest")
        }
        return .success(.ssm(name: name, version: version))
    }

    /// SSM's own naming rules, so a typo fails here rather than as ParameterNotFound during a recovery.
    private static func ssmNameProblem(_ name: String) -> String? {
        if name.hasPrefix("arn:") {
            let parts = name.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "ssm", parts[5].hasPrefix("parameter/"), parts[5].count > "parameter/".count else {
                return "\"\(name)\" is not an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)"
            }
            return nil
        }
        if name.count > 2048 { return "SSM parameter name is longer than 2048 characters" }
        if let bad = name.first(where: { !($0.isASCIILetterOrDigit || "_.-/".contains($0)) }) {
            return bad.isWhitespace ? "SSM parameter name \"\(name)\" contains whitespace"
                                    : "SSM parameter name \"\(name)\" contains \"\(bad)\""
        }
        if name.contains("/") && !name.hasPrefix("/") {
            return "SSM parameter name \"\(name)\" has a path but does not start with '/'"
        }
        if name.contains("//") || (name.count > 1 && name.hasSuffix("/")) || name == "/" {
            return "SSM parameter name \"\(name)\" has an empty path segment"
        }
        if name.split(separator: "/").count > 15 { return "SSM parameter name \"\(name)\" is nested deeper than 15 levels" }
        return nil
    }

    private static func unsupportedResolverMessage(_ resolver: String) -> String {
        resolver.isEmpty ? "no resolver after \"resolve:\"" : "unsupported resolver \"\(resolver)\"; only resolve:ssm: and !Import are supported"
    }

    private static func unsupportedResolverHint(_ resolver: String) -> String {
        switch resolver.lowercased() {
        case "ssm": "the resolver is spelled in lower case: resolve:ssm:<name>"
        case "ssm-secure": "resolve:ssm: already decrypts SecureString parameters; write resolve:ssm:<name>"
        case "secretsmanager": "store the value in an SSM SecureString parameter and write resolve:ssm:<name>"
        default: "write resolve:ssm:<name>[:<version>] or \"!Import <ExportName>\""
        }
    }
}
