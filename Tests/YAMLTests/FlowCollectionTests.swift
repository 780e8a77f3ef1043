import Testing
import YAML

@Suite struct FlowCollectionTests {
    @Test func nestedFlowCollections() throws {
        #expect(try parse("a: [1, [2, 3], {b: c, d: [e]}]\n") == ["a": [1, [2, 3], ["b": "c", "d": ["e"]]]])
    }

    @Test func trailingCommas() throws {
        #expect(try parse("[1, 2, ]\n") == [1, 2])
        #expect(try parse("{a: 1, b: 2, }\n") == ["a": 1, "b": 2])
    }

    @Test func multiLineFlow() throws {
        #expect(try parse("a: [\n  1,\n  2\n]\nb: {\n  x: 1\n}\n") == ["a": [1, 2], "b": ["x": 1]])
    }

    @Test func emptyCollections() throws {
        #expect(try parse("a: []\nb: {}\n") == ["a": [], "b": [:]])
    }

    @Test func keyWithoutValueAndSinglePairs() throws {
        #expect(try parse("{a, b: 1}\n") == ["a": nil, "b": 1])
        #expect(try parse("[a: 1, b]\n") == [["a": 1], "b"])
    }

    @Test func quotedKeysAndValuesInFlow() throws {
        #expect(try parse("{'a b': \"c, d\", \"e\": '[f]'}\n") == ["a b": "c, d", "e": "[f]"])
    }

    @Test func flowInsideBlock() throws {
        let value = try parse("items:\n- {name: a, ports: [80, 443]}\n- {name: b, ports: []}\n")
        #expect(value == ["items": [["name": "a", "ports": [80, 443]], ["name": "b", "ports": []]]])
    }

    @Test func flowValuesResolveLikePlainScalars() throws {
        #expect(try parse("[yes, ~, 0x10, 1.5, '1', text]\n") == [true, nil, 16, 1.5, "1", "text"])
    }
}
