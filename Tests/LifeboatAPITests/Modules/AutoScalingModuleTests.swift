import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct AutoScaling {
        static let valid: JSONValue = ["AutoScalingGroupNames": ["payments-web", "payments-batch"], "DesiredCount": 3]

        @Test func validExamplePasses() {
            #expect(check(.autoScaling, Self.valid).isEmpty)
        }

        @Test func requiredKeys() {
            #expect(check(.autoScaling, [:]).errorPaths == [at("AutoScalingGroupNames"), at("DesiredCount")])
        }

        @Test func enterpriseSpellingGetsAHint() {
            let problems = check(.autoScaling, ["Autoscalinggroupnames": ["payments-web"], "DesiredCount": 3])
            #expect(problems.errorPaths == [at("Autoscalinggroupnames"), at("AutoScalingGroupNames")])
            #expect(problems[0].message == "unknown parameter \"Autoscalinggroupnames\": the enterprise spelling of AutoScalingGroupNames")
            #expect(problems[0].hint == "did you mean AutoScalingGroupNames? Rename it (drctl convert does this)")
            let caseOnly = check(.autoScaling, ["autoScalingGroupNames": ["payments-web"], "DesiredCount": 3])
            #expect(caseOnly.problem(at: "autoScalingGroupNames")?.hint == "did you mean AutoScalingGroupNames?")
        }

        @Test func typesAndRanges() {
            let problems = check(.autoScaling, ["AutoScalingGroupNames": "payments-web", "DesiredCount": -1])
            #expect(problems.errorPaths == [at("AutoScalingGroupNames"), at("DesiredCount")])
            #expect(problems[0].message == "expected list, got string \"payments-web\"")
            #expect(problems[1].message == "-1 is too small; must be at least 0")
            let arn = check(.autoScaling, setting(Self.valid, "AutoScalingGroupNames", ["arn:aws:autoscaling:us-west-2:1:autoScalingGroup:x"]))
            #expect(arn.errorPaths == [at("AutoScalingGroupNames[0]")])
        }

        @Test func duplicateGroupsWarn() {
            let problems = check(.autoScaling, setting(Self.valid, "AutoScalingGroupNames", ["a", "a"]))
            #expect(problems.errors.isEmpty)
            #expect(problems.warningPaths == [at("AutoScalingGroupNames[1]")])
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.autoScaling, ["AutoScalingGroupNames": .string(reference), "DesiredCount": .string(reference)]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            let problems = check(.autoScaling, ["AutoScalingGroupNames": .string(reference), "DesiredCount": .string(reference)])
            #expect(problems.errorPaths == [at("AutoScalingGroupNames"), at("DesiredCount")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.autoScaling, ["AutoScalingGroupNames": ["", 3], "DesiredCount": true, "MaxCount": 5])
            #expect(problems.errorPaths == [at("AutoScalingGroupNames[0]"), at("AutoScalingGroupNames[1]"), at("DesiredCount"), at("MaxCount")])
        }
    }
}
