import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Modules
import TestSupport
import YAML

/// LambdaFunctionModule against moto's Lambda with the emulator's docker-less Invoke: one function
/// in each region, made fresh per test; results and function errors are set through the control API.
@Suite(.serialized) struct LambdaFunctionModuleTests {
    let module: LambdaFunctionModule
    let function: String

    init() async throws {
        module = LambdaFunctionModule(clients: try Emulator.clients())
        function = Emulator.unique("warm-caches")
        _ = try await Emulator.boto("""
            import io, zipfile
            code = io.BytesIO()
            with zipfile.ZipFile(code, 'w') as archive:
                archive.writestr('index.py', 'def handler(event, context):\\n    return event\\n')
            iam = aws('iam', 'us-east-1')
            try:
                role = iam.get_role(RoleName='lambda-exec')['Role']['Arn']
            except Exception:
                role = iam.create_role(RoleName='lambda-exec', AssumeRolePolicyDocument='{}')['Role']['Arn']
            for region in ('us-west-2', 'us-east-1'):
                aws('lambda', region).create_function(FunctionName='\(function)', Runtime='python3.12', Role=role,
                                                      Handler='index.handler', Code={'ZipFile': code.getvalue()})
            """)
    }

    func invocations(_ region: String? = nil) async throws -> [[String: Any]] {
        let answer = try await Emulator.control("GET", "/__emulator__/lambda/invocations?FunctionName=\(function)") as? [String: Any]
        return ((answer?["invocations"] as? [[String: Any]]) ?? []).filter { region == nil || $0["region"] as? String == region }
    }

    func result(_ body: [String: Any], region: String = Emulator.west) async throws {
        var spec = body
        spec["account"] = Emulator.account
        spec["region"] = region
        spec["FunctionName"] = function
        _ = try await Emulator.control("POST", "/__emulator__/lambda/results", body: spec)
    }

    @Test func invokeSucceedsAndAStartedTwiceInvocationIsAdopted() async throws {
        try await result(["payload": ["warmed": 12], "logTail": "START\nwarmed 12 caches\nEND"])
        let context = Emulator.context(.instantiate, parameters: ["FunctionName": .string(function), "Payload": ["caches": "all"]])
        let first = try await module.start(context)
        #expect(first.message == "invoked \(function) (version $LATEST): Succeeded")
        let second = try await module.start(context)
        #expect(second.message == "adopted the invocation of \(function) this execution made (Succeeded)")
        let checked = try await module.check(context, checkpoint: first.checkpoint)
        #expect(checked.successMessage == "\(function) returned without a function error; response: {\"warmed\": 12}; log tail: START | warmed 12 caches | END")
        #expect(try await module.check(context, checkpoint: second.checkpoint).isSucceeded)
        let sent = try await invocations(Emulator.west)
        #expect(sent.count == 1)
        #expect(sent.first?["Payload"] as? String == #"{"caches":"all"}"#)
    }

    /// A FunctionError fails the check with the function's answer and log tail, in which every
    /// string of the request payload (a resolved secret, say) is masked.
    @Test func aFunctionErrorFailsTheCheckWithTheMaskedAnswerAndLogTail() async throws {
        try await result(["payload": ["errorMessage": "login failed for s3cr3t-token"],
                          "functionError": "Unhandled", "logTail": "START\nusing s3cr3t-token\nEND", "count": 1])
        let context = Emulator.context(.activate, parameters: ["FunctionName": .string(function), "Payload": ["token": "s3cr3t-token"]])
        let (started, result, checkpoint) = try await Emulator.run(module, context)
        #expect(started.message == "invoked \(function) (version $LATEST): Unhandled")
        #expect(result.failure?.code == "FunctionError")
        #expect(result.failure?.reason == "\(function) failed (FunctionError Unhandled); response: {\"errorMessage\": \"login failed for [redacted]\"}; log tail: START | using [redacted] | END")
        #expect(!JSONWriter.write(checkpoint).contains("s3cr3t"))
    }

    @Test func aMissingFunctionIsPermanentWithoutAnInvokeAndBlocksPreflight() async throws {
        let context = Emulator.context(.activate, parameters: ["FunctionName": "no-such-function"])
        let before = try await Emulator.stats()
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.kind == .permanent && error?.code == "ResourceNotFoundException", "\(String(describing: error))")
        #expect(error?.message == "Lambda function no-such-function not found in account \(Emulator.account), us-west-2")
        let report = try await module.preflight(context)
        #expect(!report.passed)
        let mutating = Emulator.delta(before, try await Emulator.stats()).filter { $0.key.hasPrefix("lambda:") && !$0.key.hasPrefix("lambda:Get") && !$0.key.hasPrefix("lambda:List") }
        #expect(mutating.isEmpty, "\(mutating)")
    }

    @Test func preflightDescribesTheFunctionWithoutInvokingIt() async throws {
        let context = Emulator.context(.activate, parameters: ["FunctionName": .string(function)])
        let report = try await module.preflight(context)
        #expect(report.passed)
        #expect(report.findings.contains { $0.message.hasPrefix("\(function) (python3.12, state Active") })
        #expect(try await invocations().isEmpty)
    }

    @Test func aThrottledInvokeIsTransientAndRunsTheFunctionOnceOnRetry() async throws {
        let context = Emulator.context(.activate, parameters: ["FunctionName": .string(function)])
        _ = try await Emulator.startThroughFault(module, context, service: "lambda", operation: "Invoke")
        #expect(try await invocations().count == 1)
    }

    /// A crash during the invoke leaves the record half-written: the function may have run, so a
    /// restarted run says so instead of running it a second time.
    @Test func anInvocationWithAnUnknownOutcomeIsNotRepeated() async throws {
        let context = Emulator.context(.activate, parameters: ["FunctionName": .string(function)])
        let api = Lambda(try await Emulator.client(region: Emulator.west))
        let arn = try await api.getFunction(function).arn
        // An earlier execution leaves its record for this plan, resource and phase; then the record
        // is set to what start writes before it invokes, as if this execution crashed there.
        let start = try await module.start(Emulator.context(.activate, parameters: ["FunctionName": .string(function)], execution: "other"))
        #expect(start.message?.hasSuffix("Succeeded") == true)
        let record = try #require(try await api.tags(of: arn).first { $0.key.hasPrefix("lifeboat.dev/invoke-") })
        try await api.tag(arn, key: record.key, value: "plan=plan execution=\(context.executionUID) outcome=Invoking")
        let error = await Emulator.error { try await module.start(context) }
        #expect(error?.code == "InvocationOutcomeUnknown" && error?.kind == .permanent, "\(String(describing: error))")
        #expect(error?.message.contains("delete the tag \(record.key) on the function") == true)
        #expect(try await invocations().count == 1)
    }

    /// A drill invokes only in the standby (when its drill behaviour is Execute).
    @Test func aDrillInvokesInTheStandbyOnly() async throws {
        let before = try await Emulator.statsByRegion()
        let context = Emulator.context(.cleanup, mode: .drill, parameters: ["FunctionName": .string(function)])
        #expect(context.actingRegion == Emulator.west)
        #expect(try await Emulator.run(module, context).result.isSucceeded)
        #expect(try await invocations(Emulator.west).count == 1)
        #expect(try await invocations(Emulator.east).isEmpty)
        #expect(try await Emulator.mutatingCalls(in: Emulator.east, since: before, services: ["lambda"]).isEmpty)
    }
}
