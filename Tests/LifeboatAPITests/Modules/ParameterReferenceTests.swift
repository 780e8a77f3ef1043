import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct References {
        @Test(arguments: [
            ("resolve:ssm:/a/b", ParameterReference.ssm(name: "/a/b", version: nil)),
            ("resolve:ssm:/a/b:3", .ssm(name: "/a/b", version: 3)),
            ("{{resolve:ssm:/a/b}}", .ssm(name: "/a/b", version: nil)),
            ("{{resolve:ssm:/a/b:3}}", .ssm(name: "/a/b", version: 3)),
            ("resolve:ssm:orders-endpoint", .ssm(name: "orders-endpoint", version: nil)),
            ("resolve:ssm:arn:aws:ssm:us-west-2:111111111111:parameter/dr/x:2",
             .ssm(name: "arn:aws:ssm:us-west-2:111111111111:parameter/dr/x", version: 2)),
            ("!Import orders-cluster-arn", .cloudFormationExport(name: "orders-cluster-arn")),
            ("!Import Stack:ExportsOutputRef", .cloudFormationExport(name: "Stack:ExportsOutputRef")),
        ])
        func parsesWellFormedReferences(text: String, expected: ParameterReference) throws {
            let parsed = try #require(ParameterReference.parse(text))
            #expect(try parsed.get() == expected)
        }

        @Test func canonicalSpelling() {
            #expect(ParameterReference.ssm(name: "/a/b", version: nil).description == "resolve:ssm:/a/b")
            #expect(ParameterReference.ssm(name: "/a/b", version: 3).description == "resolve:ssm:/a/b:3")
            #expect(ParameterReference.cloudFormationExport(name: "x").description == "!Import x")
            let braced = try? ParameterReference.parse("{{resolve:ssm:/a/b:3}}")?.get()
            #expect(braced?.description == "resolve:ssm:/a/b:3")
        }

        @Test(arguments: ["orders", "", "db.serverless", "arn:aws:events:us-west-2:111111111111:archive/x",
                          "!important notice", "resolved", "Import x", "{{something}}"])
        func plainStringsAreNotReferences(text: String) {
            #expect(ParameterReference.parse(text) == nil)
        }

        @Test(arguments: [
            ("resolve:ssm:", "no SSM parameter name"),
            ("resolve:ssm", "no SSM parameter name"),
            ("resolve:ssm:/a/b:x", "version \"x\" is not a positive whole number"),
            ("resolve:ssm:/a/b:0", "version \"0\" is not a positive whole number"),
            ("resolve:ssm:/a/b:", "version \"\" is not a positive whole number"),
            ("resolve:ssm:/a/b:1:2", "too many ':'"),
            ("resolve:ssm:/a b", "contains whitespace"),
            ("resolve:ssm:a/b", "does not start with '/'"),
            ("resolve:secretsmanager:orders", "unsupported resolver \"secretsmanager\""),
            ("resolve:ssm-secure:/a", "unsupported resolver \"ssm-secure\""),
            ("resolve:SSM:/a", "unsupported resolver \"SSM\""),
            ("resolve:", "no resolver"),
            ("{{resolve:ssm:/a/b}", "missing the closing"),
            ("{{resolve:secretsmanager:x}}", "unsupported resolver"),
            (" resolve:ssm:/a", "whitespace"),
            ("jdbc://{{resolve:ssm:/a}}", "must be the whole value"),
            ("!Import", "no export name"),
            ("!Import ", "no export name"),
            ("!Import a b", "contains spaces"),
            ("!ImportValue x", "followed by a space"),
            ("!import x", "spelled \"!Import\""),
        ])
        func reportsMalformedReferences(text: String, fragment: String) throws {
            let parsed = try #require(ParameterReference.parse(text))
            guard case .failure(let error) = parsed else {
                Issue.record("\(text) parsed as \(parsed)")
                return
            }
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.hint != nil)
            #expect(error.text == text)
        }

        @Test func walksEveryLevelAndReportsEachPath() {
            let value: JSONValue = [
                "a": "resolve:ssm:",
                "b": ["ok", "!Import", ["c": "resolve:ssm:/x:y"]],
                "d": "resolve:ssm:/fine",
                "e": 4,
            ]
            let problems = ParameterReference.referenceProblems(in: value, at: base)
            #expect(problems.map(\.path.description) == [at("a"), at("b[1]"), at("b[2].c")])
            #expect(problems.allSatisfy { $0.isError && $0.message.hasPrefix("malformed parameter reference") })
        }

        /// A well-formed reference stands in for an integer, a boolean and a list; a malformed one
        /// is reported as a reference problem, not as a type error.
        @Test func referencesStandInForAnyType() {
            let good = check(.drs, [
                "SourceServerIds": "resolve:ssm:/dr/servers",
                "MaxServersPerJob": "{{resolve:ssm:/dr/max:2}}",
                "DisconnectSource": "!Import dr-disconnect",
                "LaunchSettings": ["CopyTags": "resolve:ssm:/dr/copy-tags", "SecurityGroupIds": "!Import dr-sgs"],
            ])
            #expect(good.isEmpty, "\(good)")
            let bad = check(.drs, ["SourceServerIds": ["resolve:ssm:/x:x"], "MaxServersPerJob": "!Import a b"])
            #expect(bad.errorPaths == [at("SourceServerIds[0]"), at("MaxServersPerJob")])
            #expect(bad.allSatisfy { $0.message.hasPrefix("malformed parameter reference") })
        }
    }
}
