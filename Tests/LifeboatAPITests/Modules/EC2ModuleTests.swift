import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    @Suite struct EC2 {
        static let valid: JSONValue = ["InstanceIds": ["i-0123456789abcdef0", "i-01234567"], "HostNames": ["batch-1"]]

        @Test func validExamplePasses() {
            #expect(check(.ec2, Self.valid).isEmpty)
            #expect(check(.ec2, ["HostNames": ["batch-1"]]).isEmpty)
        }

        @Test func atLeastOneSelector() {
            let problems = check(.ec2, [:])
            #expect(problems.errorPaths == [at("")])
            #expect(problems[0].message == "give at least one of InstanceIds, HostNames")
        }

        @Test func typesFormatsAndUnknownKeys() {
            let problems = check(.ec2, ["InstanceIds": ["i-123", "i-0123456789ABCDEF0"], "HostNames": [true], "Orchestrator_HostNames": ["a"], "HostName": ["a"]])
            #expect(problems.errorPaths == [at("InstanceIds[0]"), at("InstanceIds[1]"), at("HostNames[0]"), at("Orchestrator_HostNames"), at("HostName")])
            #expect(problems.problem(at: "Orchestrator_HostNames")?.hint == "did you mean HostNames? Rename it (drctl convert does this)")
            #expect(problems.problem(at: "HostName")?.hint == "did you mean HostNames?")
        }

        @Test(arguments: wellFormedReferences)
        func referencesAccepted(reference: String) {
            #expect(check(.ec2, ["InstanceIds": .string(reference)]).isEmpty)
        }

        @Test(arguments: malformedReferences)
        func malformedReferencesReported(reference: String) {
            #expect(check(.ec2, ["InstanceIds": [.string(reference)], "HostNames": .string(reference)]).errorPaths == [at("InstanceIds[0]"), at("HostNames")])
        }

        @Test func everyProblemIsReported() {
            let problems = check(.ec2, ["InstanceIds": [], "HostNames": "batch-1", "State": "running"])
            #expect(problems.errorPaths == [at("InstanceIds"), at("HostNames"), at("State")])
        }
    }
}
