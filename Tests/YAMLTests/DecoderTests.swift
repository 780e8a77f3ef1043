import Testing
import YAML

@Suite struct DecoderTests {
    enum Mode: String, Codable { case active, passive }

    struct Plan: Codable, Equatable {
        struct Metadata: Codable, Equatable {
            var name: String
            var labels: [String: String]?
        }
        struct Layer: Codable, Equatable {
            var name: String
            var replicas: Int
            var ratio: Double?
            var accountId: String?
        }
        struct Spec: Codable, Equatable {
            var enabled: Bool
            var mode: Mode
            var tags: [String]
            var layers: [Layer]
            var limits: [String: Int]
            var parameters: JSONValue?
            var note: String?
        }
        var apiVersion: String
        var metadata: Metadata
        var spec: Spec
    }

    static let text = """
        apiVersion: lifeboat.dev/v1
        metadata:
          name: demo
          labels: {app: web, "80": http}
        spec:
          enabled: yes
          mode: passive
          tags: [a, b]
          layers:
          - name: db
            replicas: 3.0
            ratio: 1
          - name: web
            replicas: 2
            accountId: '111111111111'
          limits: {cpu: 2}
          parameters:
            zeta: 1
            alpha: [x, {q: 2.5}]
            when: ~
          note: null
        """

    @Test func decodesNestedStructures() throws {
        let plan = try YAMLDecoder().decode(Plan.self, from: Self.text, file: "plan.yaml")
        #expect(plan.metadata == .init(name: "demo", labels: ["app": "web", "80": "http"]))
        #expect(plan.spec.enabled && plan.spec.mode == .passive && plan.spec.tags == ["a", "b"])
        #expect(plan.spec.layers == [.init(name: "db", replicas: 3, ratio: 1.0, accountId: nil),
                                     .init(name: "web", replicas: 2, ratio: nil, accountId: "111111111111")])
        #expect(plan.spec.limits == ["cpu": 2])
        #expect(plan.spec.note == nil)
        let parameters = try #require(plan.spec.parameters)
        #expect(parameters == ["zeta": 1, "alpha": ["x", ["q": 2.5]], "when": nil])
        #expect(parameters.objectValue?.keys == ["zeta", "alpha", "when"])
    }

    @Test func typeMismatchNamesPathAndPosition() throws {
        let text = Self.text.replacing("replicas: 2", with: "replicas: two")
        let error = try #require(decodeError(Plan.self, text))
        #expect(error.description == #"plan.yaml:14:15: spec.layers[1].replicas: expected an integer, found string "two""#)
    }

    @Test func unquotedNumberIsNotAString() throws {
        let text = Self.text.replacing("'111111111111'", with: "111111111111")
        let error = try #require(decodeError(Plan.self, text))
        #expect(error.message == "expected a string, found integer 111111111111")
        #expect(error.path == "spec.layers[1].accountId")
        #expect(error.location?.mark == SourceMark(line: 15, column: 16))
    }

    @Test func missingRequiredField() throws {
        let text = Self.text.replacing("  name: demo\n", with: "")
        let error = try #require(decodeError(Plan.self, text))
        #expect(error.message == #"missing required field "name""#)
        #expect(error.path == "metadata.name")
        #expect(error.location?.mark == SourceMark(line: 3, column: 3))
    }

    @Test func nullHandling() throws {
        struct Box: Decodable { var count: Int; var label: String? }
        let error = try #require(decodeError(Box.self, "count: ~\nlabel: x\n"))
        #expect(error.description == "plan.yaml:1:8: count: expected an integer, found null")
        let box = try YAMLDecoder().decode(Box.self, from: "count: 1\nlabel: null\n")
        #expect(box.count == 1 && box.label == nil)
        #expect(try YAMLDecoder().decode(Box.self, from: "count: 1\n").label == nil)
        #expect(try YAMLDecoder().decode(Int?.self, from: "~") == nil)
        #expect(try YAMLDecoder().decode([Int?].self, from: "[1, ~, 3]") == [1, nil, 3])
        #expect(try YAMLDecoder().decode([JSONValue?].self, from: "[1, ~]") == [1, nil])
        #expect(try YAMLDecoder().decode([JSONValue].self, from: "[1, ~]") == [1, .null])
    }

    @Test func numberConversions() throws {
        let decoder = YAMLDecoder()
        #expect(try decoder.decode(Int.self, from: "3.0") == 3)
        #expect(try decoder.decode(Double.self, from: "3") == 3.0)
        #expect(try decoder.decode(Float.self, from: "0.1") == Float(0.1))
        #expect(try decoder.decode(UInt64.self, from: "0xFF") == 255)
        #expect(try decoder.decode(Int64.self, from: "-9223372036854775808") == Int64.min)
        #expect(try decoder.decode(Bool.self, from: "on") == true)
        #expect(decodeError(Int.self, "3.5")?.message == "expected an integer, found number 3.5")
        #expect(decodeError(Int8.self, "300")?.message == "the number 300 does not fit in Int8")
        #expect(decodeError(UInt.self, "-1")?.message == "the number -1 does not fit in UInt")
        #expect(decodeError(Bool.self, "'yes'")?.message == #"expected a boolean, found string "yes""#)
        #expect(decodeError(String.self, "true")?.message == "expected a string, found boolean true")
        #expect(decodeError(Double.self, "'1.5'")?.message == #"expected a number, found string "1.5""#)
        #expect(decodeError(Float.self, "1e300")?.message == "the number 1e+300 does not fit in Float")
    }

    @Test func containerMismatches() {
        #expect(decodeError(Plan.self, "- a\n")?.message == "expected a mapping, found a list")
        #expect(decodeError([Int].self, "a: 1\n")?.message == "expected a list, found a mapping")
        #expect(decodeError([String: Int].self, "a: x\n")?.path == "a")
    }

    @Test func invalidEnumValueUsesTheDebugDescription() throws {
        let text = Self.text.replacing("mode: passive", with: "mode: sideways")
        let error = try #require(decodeError(Plan.self, text))
        #expect(error.message.contains("sideways"))
        #expect(error.path == "spec.mode")
        #expect(error.location?.mark == SourceMark(line: 7, column: 9))
    }

    @Test func validationErrorsFromInitKeepTheirPosition() throws {
        struct Port: Decodable {
            struct OutOfRange: Error, CustomStringConvertible { var description: String { "port must be 1-65535" } }
            var value: Int
            init(from decoder: any Decoder) throws {
                value = try decoder.singleValueContainer().decode(Int.self)
                guard (1...65535).contains(value) else { throw OutOfRange() }
            }
        }
        struct Service: Decodable { var ports: [Port] }
        let error = try #require(decodeError(Service.self, "ports:\n- 80\n- 70000\n"))
        #expect(error.description == "plan.yaml:3:3: ports[1]: port must be 1-65535")
    }

    @Test func dictionaryKeysThatLookLikeIndices() throws {
        let error = try #require(decodeError([String: Int].self, "'0': 1\n'1': x\n"))
        #expect(error.path == FieldPath([.key("1")]))
        #expect(error.location?.mark == SourceMark(line: 2, column: 6))
    }

    /// Exercises every container kind: nested keyed and unkeyed, superDecoder, manual unkeyed loops.
    struct Manual: Codable, Equatable {
        var id: Int
        var point: [Double]
        var inner: String
        var base: String
        var flags: [Bool]

        enum Keys: String, CodingKey { case id, point, nested, flags }
        enum NestedKeys: String, CodingKey { case inner }

        init(id: Int, point: [Double], inner: String, base: String, flags: [Bool]) {
            (self.id, self.point, self.inner, self.base, self.flags) = (id, point, inner, base, flags)
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            id = try container.decode(Int.self, forKey: .id)
            var list = try container.nestedUnkeyedContainer(forKey: .point)
            point = []
            while !list.isAtEnd { point.append(try list.decode(Double.self)) }
            inner = try container.nestedContainer(keyedBy: NestedKeys.self, forKey: .nested).decode(String.self, forKey: .inner)
            base = try String(from: container.superDecoder())
            var flagList = try container.nestedUnkeyedContainer(forKey: .flags)
            flags = []
            while !flagList.isAtEnd {
                var pair = try flagList.nestedUnkeyedContainer()
                flags.append(try pair.decode(Bool.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(id, forKey: .id)
            var list = container.nestedUnkeyedContainer(forKey: .point)
            for value in point { try list.encode(value) }
            var nested = container.nestedContainer(keyedBy: NestedKeys.self, forKey: .nested)
            try nested.encode(inner, forKey: .inner)
            try base.encode(to: container.superEncoder())
            var flagList = container.nestedUnkeyedContainer(forKey: .flags)
            for flag in flags {
                var pair = flagList.nestedUnkeyedContainer()
                try pair.encode(flag)
            }
        }
    }

    @Test func allContainerKinds() throws {
        let text = "id: 7\npoint: [1, 2.5]\nnested: {inner: deep}\nsuper: base\nflags: [[true], [false]]\n"
        let manual = try YAMLDecoder().decode(Manual.self, from: text)
        #expect(manual == Manual(id: 7, point: [1, 2.5], inner: "deep", base: "base", flags: [true, false]))
        let value = try JSONValue(encoding: manual)
        #expect(value.objectValue?.keys == ["id", "point", "nested", "super", "flags"])
        #expect(try YAMLDecoder().decode(Manual.self, from: value) == manual)
    }

    @Test func unkeyedContainerPastTheEnd() throws {
        struct Pair: Decodable {
            var a: Int, b: Int
            init(from decoder: any Decoder) throws {
                var list = try decoder.unkeyedContainer()
                a = try list.decode(Int.self)
                b = try list.decode(Int.self)
            }
        }
        let error = try #require(decodeError(Pair.self, "[1]"))
        #expect(error.message == "expected another item, but the list has only 1")
        #expect(error.path == "[1]")
    }

    @Test func decodingFromAValueHasPathsButNoPositions() {
        do {
            _ = try YAMLDecoder().decode([String: [Int]].self, from: ["a": [1, "x"]] as JSONValue)
            Issue.record("expected an error")
        } catch {
            #expect(error.location == nil)
            #expect(error.description == #"a[1]: expected an integer, found string "x""#)
        }
    }

    @Test func decodingTextWithSeveralDocumentsFails() {
        #expect(decodeError(Int.self, "1\n---\n2\n")?.message.contains("found 2") == true)
    }

    @Test func decodingWithTheDocumentAPI() throws {
        let document = try YAML.parseDocument("a: [1, 2]\n")
        #expect(try YAMLDecoder().decode([String: [Int]].self, from: document) == ["a": [1, 2]])
    }
}
