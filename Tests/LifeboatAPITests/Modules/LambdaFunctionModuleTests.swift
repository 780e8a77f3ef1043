import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct LambdaFunction {
        static let valid: JSONValue = ["FunctionName": "orders-warmup:live", "Payload": ["mode": "dr", "count": 3, "ids": [1, 2]]]

        @Test(arguments: ["orders-warmup", "orders-warmup:7", "orders-warmup:$LATEST", "111111111111:function:orders-warmup",
                          "arn:aws:lambda:us-west-2:111111111111:function:orders-warmup",
                          "arn:aws:lambda:us-west-2:111111111111:function:orders-warmup:live"])
        func validNamesPass(name: String) {
            #expect(check(.lambdaFunction, setting(Self.valid, "FunctionName", .string(name))).isEmpty)
        }

        @Test func validExamplePasses() {
            #expect(check(.lambdaFunction, Self.valid).isEmpty)
            #expect(check(.lambdaFunction, setting(Self.valid, "Payload", "{\"raw\": true}")).isEmpty)
            #expect(check(.lambdaFunction, setting(Self.valid, "Payload", nil)).isEmpty)
        }

        @Test func requiredKeysInEveryPhase() {
            for phase in Phase.allCases {
                #expect(check(.lambdaFunction, ["Payload": 1], phases: [phase]).errorPaths == [at("FunctionName")])
            }
        }

        @Test(arguments: ["orders warmup", "a:b:c", "arn:aws:lambda:us-west-2:1:function:x", "x:bad qualifier", String(repeating: "f", count: 65)])
        func invalidNames(name: String) {
            #expect(check(.lambdaFunction, setting(Self.valid, "FunctionName", .string(name))).errorPaths == [at("FunctionName")])
        }

        @Test func typesLengthsAndUnknownKeys() {
            let long = "arn:aws:lambda:us-west-2:111111111111:function:" + String(repeating: "f", count: 64) + ":" + String(repeating: "q", count: 30)
            let problems = check(.lambdaFunction, ["FunctionName": .string(long), "payload": [:], "InvocationType": "Event"])
            #expect(problems.errorPaths == [at("FunctionName"), at("payload"), at("InvocationType")])
            #expect(problems[0].message == "is too long (\(long.count) characters); must be at most 140")
            #expect(problems[1].hint == "did you mean Payload?")
            #expect(check(.lambdaFunction, ["FunctionName": ["a"]]).problem(at: "FunctionName")?.message == "expected string, got list")
        }

        @Test func payloadReferencesAreCheckedAtEveryLevel() {
            let problems = check(.lambdaFunction, setting(Self.valid, "Payload", ["a": ["ok", "resolve:ssm:/x:x"], "b": ["c": "!Import"], "d": "resolve:ssm:/fine"]))
            #expect(problems.errorPaths == [at("Payload.a[1]"), at("Payload.b.c")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.lambdaFunction, ["FunctionName": .string(reference), "Payload": .string(reference)]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.lambdaFunction, ["FunctionName": .string(reference), "Payload": [.string(reference)]]).errorPaths
                    == [at("FunctionName"), at("Payload[0]")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.lambdaFunction, ["Payload": ["x": "resolve:nope:"], "Qualifier": "live", "AccountId": "1"])
            #expect(problems.errorPaths == [at("Payload.x"), at("Qualifier"), at("AccountId"), at("FunctionName")])
        }
    }
}
