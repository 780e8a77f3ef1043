import Testing
import YAML

/// `JSONValueEncoder.encode(_:field:)`: one top-level field of a value, as the whole encoding
/// would give it, without encoding the others (what a status writer compares on every write).
@Suite struct EncodeFieldTests {
    struct Object: Encodable {
        struct Status: Encodable { var phase: String; var conditions: [String]; var note: String? }
        var metadata: [String: String] = ["name": "a"]
        var spec: UInt64 = 1
        var status: Status?
    }

    /// Writes its fields through nested containers and a super encoder, not encode(_:forKey:).
    struct Nested: Encodable {
        enum Keys: String, CodingKey { case spec, status, list }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var spec = container.nestedContainer(keyedBy: Keys.self, forKey: .spec)
            try spec.encode("s", forKey: .list)
            var status = container.nestedContainer(keyedBy: Keys.self, forKey: .status)
            try status.encode(1, forKey: .spec)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(true)
            try "x".encode(to: container.superEncoder(forKey: .spec))
        }
    }

    func same<T: Encodable>(_ value: T, _ field: String) throws -> Bool {
        let whole = try JSONValueEncoder().encode(value)[field]
        let alone = try JSONValueEncoder().encode(value, field: field)
        switch (whole, alone) {
        case (nil, nil): return true
        case (let whole?, let alone?): return identical(whole, alone)
        default: return false
        }
    }

    @Test func theFieldAsTheWholeEncodingHasIt() throws {
        let object = Object(status: .init(phase: "Ready", conditions: ["b", "a"], note: nil))
        #expect(try same(object, "status"))
        #expect(try same(object, "metadata"))
        #expect(try same(Object(), "status"), "an absent optional: no field")
        #expect(try same(object, "missing"))
        let json: JSONValue = ["kind": "X", "status": ["z": 1, "a": [true, nil]]]
        #expect(try same(json, "status"))
        #expect(try same(JSONValue.array([1]), "status"))
        #expect(try same(Nested(), "status") && same(Nested(), "spec") && same(Nested(), "list"))
    }

    @Test func theOtherFieldsAreNotEncoded() throws {
        // A spec no JSON integer holds fails the whole encoding, not the status alone.
        let object = Object(spec: .max, status: .init(phase: "Ready", conditions: [], note: "n"))
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(object) }
        #expect(try JSONValueEncoder().encode(object, field: "status") == ["phase": "Ready", "conditions": [], "note": "n"])
    }
}
