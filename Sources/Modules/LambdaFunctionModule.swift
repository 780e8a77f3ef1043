import AWS
import Digest
import Engine
import LifeboatAPI
import YAML

/// Invokes a Lambda function in the acting region, synchronously (RequestResponse), in any phase.
/// A FunctionError fails the resource, with the function's answer and log tail in the reason.
///
/// An invocation cannot be taken back or asked about afterwards, so the module keeps a record of
/// it on the function (a tag per plan resource and phase): written before the invoke, completed
/// with the outcome after it. A restarted run of the same execution adopts a completed record
/// instead of invoking again; a record left half-written by a crash during the invoke fails the
/// resource with what is known (the function may have run) rather than running it twice.
///
/// The request payload may carry secrets (resolved SecureStrings): it is never logged or put in
/// status, and every string in it is masked in what the function sends back.
public struct LambdaFunctionModule: DRModule {
    let clients: any AWSClientProvider

    public init(clients: any AWSClientProvider) { self.clients = clients }

    public var descriptor: ModuleDescriptor { ModuleCatalog.descriptor(for: .lambdaFunction) }

    struct Progress: Checkpoint {
        var function: String
        /// Succeeded or the FunctionError (Handled, Unhandled).
        var outcome: String
        /// The function's answer and log tail, masked and cut short (empty when adopted from a record).
        var detail: String
    }

    static let succeeded = "Succeeded"
    /// How much of the answer and of the log tail goes into a message.
    static let excerptLength = 600

    /// `lifeboat.dev/invoke-<12 hex>`, one per plan, resource and phase: a later execution overwrites it.
    static func recordKey(_ context: ModuleContext) -> String {
        "lifeboat.dev/invoke-" + SHA256.hexHash([context.planName, context.resourceName, context.phase.rawValue].joined(separator: "\u{1F}")).prefix(12)
    }

    private func parameters(_ context: ModuleContext) throws(ModuleError) -> LambdaFunctionParameters {
        try ModuleParameters.decode(LambdaFunctionParameters.self, context, descriptor)
    }

    private func api(_ context: ModuleContext) async -> Lambda {
        Lambda(await clients.client(for: context, region: context.actingRegion))
    }

    private func function(_ name: String, _ api: Lambda, _ context: ModuleContext) async throws(ModuleError) -> Lambda.Function {
        do throws(ModuleError) {
            return try await aws("reading function \(name)") { try await api.getFunction(name) }
        } catch where error.code == "ResourceNotFoundException" {
            throw .permanent("Lambda function \(name) not found in account \(context.accountId), \(context.actingRegion)", code: "ResourceNotFoundException")
        }
    }

    /// The bytes sent: a string as is (it may already be JSON), anything else as JSON.
    static func body(_ payload: JSONValue?) -> [UInt8] {
        switch payload {
        case nil: Array("{}".utf8)
        case .string(let text)?: Array(text.utf8)
        case let value?: JSONWriter.bytes(value, pretty: false)
        }
    }

    /// Every string of the request payload (4 characters or more, so "id" or "ok" do not mask
    /// the whole answer), longest first: what a function that echoes its event must not leak.
    static func secrets(in payload: JSONValue?) -> [String] {
        var found: Set<String> = []
        func walk(_ value: JSONValue) {
            switch value {
            case .string(let text): if text.count >= 4 { found.insert(text) }
            case .array(let items): items.forEach(walk)
            case .object(let object): object.forEach { walk($0.value) }
            default: break
            }
        }
        payload.map(walk)
        return found.sorted { $0.count > $1.count }
    }

    static func masked(_ text: String, _ secrets: [String]) -> String {
        let cleaned = secrets.reduce(text) { $0.replacing($1, with: "[redacted]") }
        return cleaned.count > excerptLength ? String(cleaned.prefix(excerptLength)) + "…" : cleaned
    }

    static func detail(_ invocation: Lambda.Invocation, _ secrets: [String]) -> String {
        var parts = ["response: " + masked(invocation.payload.isEmpty ? "(empty)" : invocation.payload, secrets)]
        if let tail = invocation.logTail?.split(separator: "\n").suffix(8).joined(separator: " | "), !tail.isEmpty {
            parts.append("log tail: " + masked(tail, secrets))
        }
        return parts.joined(separator: "; ")
    }

    public func preflight(_ context: ModuleContext) async throws(ModuleError) -> PreflightReport {
        let parameters = try parameters(context)
        let api = await api(context)
        let function: Lambda.Function
        do throws(ModuleError) {
            function = try await self.function(parameters.functionName, api, context)
        } catch where error.code == "ResourceNotFoundException" {
            return PreflightReport(findings: [.init(.blocking, error.message)])
        }
        var findings: [PreflightReport.Finding] = []
        switch function.state {
        case "Failed"?:
            findings.append(.init(.blocking, "\(function.name) is in state Failed" + (function.stateReason.map { ": \($0)" } ?? "") + "; it cannot be invoked"))
        case let state:
            findings.append(.init(.ok, "\(function.name) (\(function.runtime ?? "container image"), state \(state ?? "Active"), timeout \(function.timeout ?? 3) s) is invoked with RequestResponse"))
        }
        let tags = try await aws("reading the tags of \(function.name)") { try await api.tags(of: function.arn) }
        if let record = LambdaInvocationRecord(tag: tags[Self.recordKey(context)]), record.execution == context.executionUID {
            findings.append(.init(.ok, "this execution already invoked \(function.name) (\(record.outcome)); \(context.phase) adopts it"))
        }
        return PreflightReport(findings: findings)
    }

    public func start(_ context: ModuleContext) async throws(ModuleError) -> StartResult {
        let parameters = try parameters(context)
        let api = await api(context)
        let function = try await self.function(parameters.functionName, api, context)
        if function.state == "Failed" {
            throw .permanent("\(function.name) is in state Failed" + (function.stateReason.map { ": \($0)" } ?? ""), code: "FunctionFailed")
        }
        let key = Self.recordKey(context)
        let tags = try await aws("reading the tags of \(function.name)") { try await api.tags(of: function.arn) }
        if let record = LambdaInvocationRecord(tag: tags[key]), record.execution == context.executionUID {
            let outcome = record.outcome
            guard outcome != LambdaInvocationRecord.invoking else {
                throw .permanent("an earlier attempt of this execution invoked \(parameters.functionName) and stopped before it recorded the outcome, so the function may have run: "
                                 + "check its CloudWatch logs; to invoke it again, delete the tag \(key) on the function and retry the resource",
                                 code: "InvocationOutcomeUnknown")
            }
            let progress = Progress(function: parameters.functionName, outcome: outcome, detail: "")
            return StartResult(checkpoint: progress.json, message: "adopted the invocation of \(parameters.functionName) this execution made (\(outcome))")
        }
        let record = { (outcome: String) in
            LambdaInvocationRecord(plan: context.planName, execution: context.executionUID, outcome: outcome).tagValue
        }
        try await aws("recording the invocation of \(function.name)") { try await api.tag(function.arn, key: key, value: record(LambdaInvocationRecord.invoking)) }
        context.logger.info("invoking lambda function", ["function": .string(parameters.functionName)])
        let invocation: Lambda.Invocation
        do throws(ModuleError) {
            invocation = try await aws("invoking \(parameters.functionName)") { try await api.invoke(parameters.functionName, payload: Self.body(parameters.payload)) }
        } catch {
            // Lambda refused the call (throttled, not found, bad payload): the function did not
            // run, so the record must not block the retry.
            _ = try? await aws("clearing the invocation record of \(function.name)") { try await api.untag(function.arn, key: key) }
            throw error
        }
        let outcome = invocation.functionError ?? Self.succeeded
        try await aws("recording the outcome of \(function.name)") { try await api.tag(function.arn, key: key, value: record(outcome)) }
        let progress = Progress(function: parameters.functionName, outcome: outcome, detail: Self.detail(invocation, Self.secrets(in: parameters.payload)))
        return StartResult(checkpoint: progress.json, message: "invoked \(parameters.functionName) (version \(invocation.executedVersion ?? "$LATEST")): \(outcome)")
    }

    public func check(_ context: ModuleContext, checkpoint: JSONValue) async throws(ModuleError) -> CheckResult {
        let progress = try Progress.decode(checkpoint, module: "LambdaFunction")
        if progress.outcome == Self.succeeded {
            return .succeeded(message: "\(progress.function) returned without a function error" + (progress.detail.isEmpty ? "" : "; \(progress.detail)"))
        }
        return .failed(reason: "\(progress.function) failed (FunctionError \(progress.outcome))" + (progress.detail.isEmpty ? ": the answer of the adopted invocation was not kept" : "; \(progress.detail)"),
                       code: "FunctionError")
    }
}
