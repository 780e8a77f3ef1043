import LifeboatAPI
import Testing
import YAML

/// Objects read off the wire decode leniently (issue 12): what blocks decoding and can be left
/// out is left out and listed in `decodingProblems` (a status written by a newer operator, an
/// optional field of another type), so such an object stays readable; a required field this
/// build cannot read still fails, naming it (the informer then keeps the raw object aside).
@Suite struct LenientDecodingTests {
    static func execution(mode: JSONValue, resources: JSONValue = ["db"]) -> JSONValue {
        ["apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRExecution", "metadata": ["name": "x", "namespace": "dr"],
         "spec": ["planRef": ["name": "payments"], "phase": "Activate", "mode": mode, "timeout": "1h", "resources": resources],
         "status": ["phase": "Teleporting"]]
    }

    @Test func anUnknownStatusValueAndAnOptionalFieldOfAnotherTypeAreLeftOutAndReported() throws {
        let decoded = try YAMLDecoder().decode(DRExecution.self, from: Self.execution(mode: "Drill", resources: "db"))
        #expect(decoded.decodingProblems.map(\.description) == [
            "spec.resources: expected array, got string \"db\"",
            "status.phase: unsupported value \"Teleporting\": must be one of Pending, AwaitingApproval, Running, Pausing, Paused, Cancelling, Succeeded, Failed, Cancelled"])
        #expect(decoded.spec.mode == .drill && decoded.spec.resources == nil && decoded.spec.timeout == .hours(1))
        #expect(decoded.status != nil && decoded.status?.phase == nil)
    }

    @Test func aRequiredFieldThatCannotBeReadFailsNamingIt() {
        #expect(throws: (any Error).self) { try YAMLDecoder().decode(DRExecution.self, from: Self.execution(mode: "Chaos")) }
        do {
            _ = try YAMLDecoder().decode(DRExecution.self, from: Self.execution(mode: "Chaos"))
        } catch {
            #expect("\(error)" == "spec.mode: unsupported value \"Chaos\": must be one of Drill, Recovery")
        }
    }

    @Test func aValidObjectHasNoProblemsAndNothingIsEncodedOfThem() throws {
        var value = Self.execution(mode: "Drill")
        value["status"] = nil
        let decoded = try YAMLDecoder().decode(DRExecution.self, from: value)
        #expect(decoded.decodingProblems.isEmpty)
        #expect(try JSONValueEncoder().encode(decoded)["decodingProblems"] == nil)
    }
}
