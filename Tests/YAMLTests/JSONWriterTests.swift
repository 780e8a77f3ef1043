import TestSupport
import Testing
import YAML

/// JSONWriter's spellings, byte for byte (written from RFC 8259), and a round trip through
/// JSONParser for seeded random values.
@Suite struct JSONWriterTests {
    @Test func escapesWhatJSONRequiresAndNothingElse() {
        let value: JSONValue = .string("q\"b\\n\nr\rt\tnul\u{0}bel\u{7}esc\u{1B}us\u{1F}del\u{7F}é名😀\u{2028}/")
        #expect(JSONWriter.write(value) == #""q\"b\\n\nr\rt\tnul\u0000bel\u0007esc\u001bus\u001fdel\u007fé名😀\#u{2028}/""#)
    }

    @Test func numbersAndLiterals() {
        let value: JSONValue = [.int(0), .int(-7), .int(Int.max), .int(Int.min), .double(2), .double(-0.0), .double(0.1),
                                .double(1e300), .double(.infinity), .double(.nan), .bool(true), .bool(false), .null]
        #expect(JSONWriter.write(value, pretty: false)
            == "[0,-7,9223372036854775807,-9223372036854775808,2.0,0.0,0.1,1e+300,null,null,true,false,null]")
    }

    @Test func prettyIndentsTwoSpacesAndCompactHasNoSpace() {
        let value: JSONValue = ["b": [1, ["c": []]], "a": [:], "s": "x"]
        #expect(JSONWriter.write(value) == "{\n  \"b\": [\n    1,\n    {\n      \"c\": []\n    }\n  ],\n  \"a\": {},\n  \"s\": \"x\"\n}")
        #expect(JSONWriter.write(value, pretty: false) == #"{"b":[1,{"c":[]}],"a":{},"s":"x"}"#)
        #expect(JSONWriter.canonical(value) == #"{"a":{},"b":[1,{"c":[]}],"s":"x"}"#)
    }

    @Test func randomValuesRoundTripThroughTheParser() throws {
        var generator = RoundTripPropertyTests.Generator(rng: SeededGenerator(seed: 8_259))
        for iteration in 0..<500 {
            let value = generator.value(depth: 0)
            for pretty in [true, false] {
                let bytes = JSONWriter.bytes(value, pretty: pretty)
                #expect(bytes == Array(JSONWriter.write(value, pretty: pretty).utf8))
                let back = try JSONParser.parse(bytes)
                #expect(identical(back, finite(value)), "iteration \(iteration): \(JSONWriter.write(value, pretty: pretty))")
            }
            // Canonical: the same value, every object's keys in sorted order.
            let canonical = try JSONParser.parse(JSONWriter.canonical(value))
            #expect(canonical == finite(value) && keysSorted(canonical), "iteration \(iteration)")
        }
    }

    private func keysSorted(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items): items.allSatisfy(keysSorted)
        case .object(let object): object.keys == object.keys.sorted() && object.allSatisfy { keysSorted($0.value) }
        default: true
        }
    }

    /// What JSON can carry: a non-finite double is written as null.
    private func finite(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let d) where !d.isFinite: .null
        case .array(let items): .array(items.map(finite))
        case .object(let object): .object(JSONObject(object.map { ($0.key, finite($0.value)) }))
        default: value
        }
    }
}
