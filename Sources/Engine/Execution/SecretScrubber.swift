import YAML

/// Replaces secret values (resolved SSM SecureStrings) wherever a module's answer could carry
/// them into status, Events or logs: messages, reasons, checkpoints and preflight findings.
struct SecretScrubber {
    static let mask = "[redacted]"
    /// Longest first, so a secret that contains another is masked whole.
    let secrets: [String]

    init(_ secrets: Set<String>) {
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    func scrub(_ text: String) -> String {
        secrets.reduce(text) { partial, secret in partial.replacing(secret, with: Self.mask) }
    }

    func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(scrub(text))
        case .array(let items): .array(items.map(scrub))
        case .object(let object): .object(JSONObject(object.map { (scrub($0.key), scrub($0.value)) }))
        case .null, .bool, .int, .double: value
        }
    }

    func scrub(_ outcome: Observation.Outcome) -> Observation.Outcome {
        switch outcome {
        case .started(let result):
            .started(StartResult(checkpoint: scrub(result.checkpoint), message: result.message.map(scrub)))
        case .checked(.inProgress(let message, let poll, let checkpoint)):
            .checked(.inProgress(message: scrub(message), nextPoll: poll, checkpoint: checkpoint.map(scrub)))
        case .checked(.succeeded(let message, let checkpoint)):
            .checked(.succeeded(message: scrub(message), checkpoint: checkpoint.map(scrub)))
        case .checked(.failed(let reason, let code)):
            .checked(.failed(reason: scrub(reason), code: code))
        case .preflighted(let report):
            .preflighted(PreflightReport(findings: report.findings.map { .init($0.severity, scrub($0.message)) }))
        case .failed(let error):
            .failed(ModuleError(error.kind, code: error.code, scrub(error.message)))
        }
    }
}
