import Testing
import YAML

/// The JSONValue overload, so literals do not pick the generic Encodable one.
private func yaml(_ value: JSONValue) -> String { YAMLEncoder().encode(value) }

@Suite struct EncoderTests {
    struct Layer: Encodable {
        var name: String
        var replicas: Int
        var note: String?
    }
    struct Plan: Encodable {
        var apiVersion = "lifeboat.dev/v1"
        var kind = "DRPlan"
        var labels: [String: String] = [:]
        var layers: [Layer]
        var empty: [Int] = []
        var ratio = 1.0
        var matrix: [[Int]] = [[1, 2], []]
    }

    @Test func kubectlStyleLayout() throws {
        let plan = Plan(layers: [Layer(name: "db", replicas: 2, note: "yes"), Layer(name: "web", replicas: 3)])
        let expected = """
            apiVersion: lifeboat.dev/v1
            kind: DRPlan
            labels: {}
            layers:
            - name: db
              replicas: 2
              note: 'yes'
            - name: web
              replicas: 3
            empty: []
            ratio: 1.0
            matrix:
            - - 1
              - 2
            - []

            """
        #expect(try YAMLEncoder().encode(plan) == expected)
    }

    @Test func keyOrderIsPreserved() throws {
        let value: JSONValue = ["zeta": 1, "alpha": ["c": 1, "b": 2, "a": 3], "mid": [["q": 1, "p": 2]]]
        let text = YAMLEncoder().encode(value)
        #expect(text == "zeta: 1\nalpha:\n  c: 1\n  b: 2\n  a: 3\nmid:\n- q: 1\n  p: 2\n")
        #expect(identical(try parse(text), value))
    }

    static let trickyStrings: [String] = [
        "yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "null", "Null", "~", "", "123", "-17", "+1",
        "0x1F", "0o17", "0777", "0b101", "1e3", "1.5", ".5", "1.", ".inf", "-.inf", ".nan", "1_000", "08",
        "2001-12-14", "2001-12-14 21:59:43.10", "12:30", "<<", " leading", "trailing ", " both ", "-", "- item",
        "-dash", "?", "? q", ":", ":colon", ",", "[", "]", "{", "}", "[a]", "{a: b}", "#", "#comment", "&anchor",
        "*alias", "!tag", "!Import foo", "|", ">", "'", "\"", "%", "@", "`", "a: b", "a:", "a #b", "a#b", "a:b",
        "---", "...", "--- x", "... x", "it's", "say \"hi\"", "back\\slash", "tab\there", "\t", "bell\u{07}",
        "nul\u{0}", "esc\u{1B}", "del\u{7F}", "c1\u{85}", "ls\u{2028}", "ps\u{2029}", "bom\u{FEFF}", "nbsp\u{A0}",
        "é", "名前", "😀", "😀 smile", "line\nbreak", "cr\rhere", "crlf\r\nx", "\n", "\n\n", " \n ", "x\n", "x\n\n",
        "\nx", "  x\ny", "\tx\ny", "x\n  y\n", "x\n\ny", "trailing \nspace ", "# hash\nline", "--- \nx", "=",
        String(repeating: "k", count: 1200), String(repeating: "é", count: 700) + ": x",
    ]

    @Test(arguments: trickyStrings)
    func trickyStringRoundTripsAsValue(text: String) throws {
        let value: JSONValue = ["v": .string(text), "list": [.string(text)], "nested": ["k": .string(text)]]
        let yaml = YAMLEncoder().encode(value)
        #expect(try parse(yaml) == value, "\(yaml)")
        #expect(try parse(YAMLEncoder().encode(.string(text))) == .string(text))
    }

    @Test(arguments: trickyStrings)
    func trickyStringRoundTripsAsKey(text: String) throws {
        let value: JSONValue = [text: "v", "other": [text: [1]]]
        let yaml = YAMLEncoder().encode(value)
        #expect(try parse(yaml) == value, "\(yaml)")
    }

    @Test func quotingChoices() {
        #expect(yaml("yes") == "'yes'\n")
        #expect(yaml("") == "''\n")
        #expect(yaml("plain text") == "plain text\n")
        #expect(yaml("it's") == "it's\n")
        #expect(yaml("'quoted'") == "'''quoted'''\n")
        #expect(yaml("tab\there") == "\"tab\\there\"\n")
        #expect(yaml("bell\u{07}") == "\"bell\\a\"\n")
        #expect(yaml("😀") == "😀\n")
        #expect(yaml("!Import foo") == "'!Import foo'\n")
        #expect(yaml("2001-12-14") == "'2001-12-14'\n")
        #expect(yaml(["123": "0x1F"]) == "'123': '0x1F'\n")
    }

    @Test func multiLineStrings() {
        #expect(yaml(["s": "a\nb"]) == "s: |-\n  a\n  b\n")
        #expect(yaml(["s": "a\nb\n"]) == "s: |\n  a\n  b\n")
        #expect(yaml(["s": "a\n\n"]) == "s: |+\n  a\n\n")
        #expect(yaml(["s": "  a\nb"]) == "s: |2-\n    a\n  b\n")
        #expect(yaml(["s": "a\n\nb"]) == "s: |-\n  a\n\n  b\n")
        #expect(yaml(["l": ["x\ny"]]) == "l:\n- |-\n  x\n  y\n")
        #expect(yaml(["s": "a\r\nb"]) == "s: \"a\\r\\nb\"\n")
        #expect(yaml(["s": "\n\n"]) == "s: \"\\n\\n\"\n")
    }

    @Test func numbersReadBackAsTheirType() throws {
        #expect(yaml(1.0) == "1.0\n")
        #expect(yaml(.double(.infinity)) == ".inf\n")
        #expect(yaml(.double(-.infinity)) == "-.inf\n")
        #expect(yaml(.double(.nan)) == ".nan\n")
        for value: JSONValue in [1.0, -0.5, 1e16, 1e-7, 123456789.125, .double(.greatestFiniteMagnitude),
                                 .double(.leastNonzeroMagnitude), .int(.max), .int(.min), 0, true, false, nil] {
            #expect(try parse(yaml(["v": value])) == ["v": value])
        }
        guard case .double(let nan)? = try parse(yaml(["v": .double(.nan)]))["v"] else {
            Issue.record("nan did not read back as a double")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func topLevelScalarsAndEmptyCollections() {
        #expect(yaml(nil) == "null\n")
        #expect(yaml([]) == "[]\n")
        #expect(yaml([:]) == "{}\n")
        #expect(yaml(["a", ["b"], [:]]) == "- a\n- - b\n- {}\n")
        #expect(yaml("multi\nline") == "|-\n  multi\n  line\n")
    }

    @Test func documents() throws {
        let values: [JSONValue] = [["a": 1], "x\n\n", [1, 2], nil]
        let text = YAMLEncoder().encodeDocuments(values)
        #expect(text == "a: 1\n---\n|+\n  x\n\n---\n- 1\n- 2\n---\nnull\n")
        #expect(try YAML.parseDocuments(text).map(\.value) == values)
        #expect(YAMLEncoder().encodeDocuments([]) == "")
    }

    @Test func encodableConversion() throws {
        struct Item: Encodable {
            var a: Int8 = 1
            var b: UInt16 = 2
            var c: Float = 0.1
            var d: String? = nil
            var e: [String: Bool] = ["k": true]
            var f: JSONValue = ["raw": [1, "two"]]
        }
        let value = try JSONValue(encoding: Item())
        #expect(identical(value, ["a": 1, "b": 2, "c": 0.1, "e": ["k": true], "f": ["raw": [1, "two"]]]))
        #expect(try JSONValueEncoder().encode([1, 2]) == [1, 2])
        #expect(throws: EncodingError.self) { try JSONValue(encoding: UInt64.max) }
    }

    @Test func encodingTwiceKeepsTheFirstPosition() throws {
        struct Twice: Encodable {
            enum K: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: K.self)
                try container.encode(1, forKey: .a)
                try container.encode(2, forKey: .b)
                try container.encode(3, forKey: .a)
            }
        }
        let value = try JSONValue(encoding: Twice())
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value == ["a": 3, "b": 2])
    }
}
