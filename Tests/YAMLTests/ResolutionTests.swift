import Testing
import YAML

/// The plain-scalar table kubectl (go-yaml v2, YAML 1.1) applies; see docs/yaml.md.
@Suite struct ResolutionTests {
    static let rows: [(String, JSONValue)] = [
        // null
        ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null),
        // booleans, YAML 1.1 style
        ("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false),
        ("yes", true), ("Yes", true), ("YES", true), ("no", false), ("No", false), ("NO", false),
        ("on", true), ("On", true), ("ON", true), ("off", false), ("Off", false), ("OFF", false),
        ("y", true), ("Y", true), ("n", false), ("N", false),
        // integers
        ("0", 0), ("42", 42), ("-17", -17), ("+17", 17), ("-0", 0),
        ("0x1F", 31), ("0X1f", 31), ("-0x10", -16), ("0o17", 15), ("0777", 511), ("0b1010", 10), ("-0b11", -3),
        ("1_000", 1000), ("0x_ff", 255),
        ("111111111111", 111_111_111_111),
        ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
        // integers beyond 64 bits become floats when they read as floats
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        // floats
        ("1.5", 1.5), ("-1.5", -1.5), ("+1.5", 1.5), ("1e3", 1000.0), ("1.5E-3", 0.0015), (".5", 0.5),
        ("-.5", -0.5), ("1.", 1.0), ("1_000.5", 1000.5), ("3.0", 3.0),
        ("08", 8.0),  // not octal, so go-yaml falls through to a float
        (".inf", .double(.infinity)), (".Inf", .double(.infinity)), (".INF", .double(.infinity)),
        ("+.inf", .double(.infinity)), ("-.inf", .double(-.infinity)), ("-.Inf", .double(-.infinity)),
        ("-.INF", .double(-.infinity)),
        // strings
        ("2001-12-14", "2001-12-14"), ("2001-12-14T21:59:43.10Z", "2001-12-14T21:59:43.10Z"),
        ("yes please", "yes please"), ("nULL", "nULL"), ("TRUE1", "TRUE1"), ("0x", "0x"), ("0b102", "0b102"),
        ("1.2.3", "1.2.3"), ("0.0.0.0", "0.0.0.0"), ("12:30", "12:30"), ("1e", "1e"), ("123abc", "123abc"),
        ("inf", "inf"), ("nan", "nan"), ("1e400", "1e400"), ("0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF"),
        ("+", "+"), ("...x", "...x"), ("é", "é"), ("<<x", "<<x"),
    ]

    @Test(arguments: rows)
    func plainScalar(text: String, expected: JSONValue) throws {
        #expect(try parse("v: \(text)\n")["v"] == expected, "v: \(text)")
    }

    @Test func notANumber() throws {
        for text in [".nan", ".NaN", ".NAN"] {
            guard case .double(let value)? = try parse("v: \(text)\n")["v"] else {
                Issue.record("\(text) did not resolve to a double")
                continue
            }
            #expect(value.isNaN)
        }
    }

    @Test(arguments: ["'123'", "\"true\"", "'~'", "\"0x10\"", "'yes'", "\"1.5\"", "''", "'null'"])
    func quotedScalarsAreStrings(text: String) throws {
        let value = try parse("v: \(text)\n")["v"]
        #expect(value?.stringValue != nil, "\(text) gave \(String(describing: value))")
    }

    @Test func explicitStandardTags() throws {
        let value = try parse("""
            - !!str 123
            - !!str true
            - !!int "5"
            - !!int '0x10'
            - !!float 1
            - !!float "1.5"
            - !!bool "yes"
            - !!null ""
            - !!binary aGVsbG8=
            - !!timestamp 2001-12-14
            - !!seq [1]
            - !!map {a: 1}
            - ! 123
            - !<tag:yaml.org,2002:str> 12
            """)
        #expect(value == ["123", "true", 5, 16, 1.0, 1.5, true, nil, "aGVsbG8=", "2001-12-14", [1], ["a": 1], "123", "12"])
    }

    @Test func standardTagWithWrongValue() {
        let error = parseError("a:\n  b: !!int abc\n")
        #expect(error?.message == "the value \"abc\" cannot be read as !!int")
        #expect(error?.path == "a.b")
        #expect(error?.location?.mark == SourceMark(line: 2, column: 6))
        #expect(parseError("a: !!bool maybe\n") != nil)
        #expect(parseError("a: !!null 0\n") != nil)
        #expect(parseError("a: !!timestamp soon\n") != nil)
        #expect(parseError("a: !!float 1.2.3\n") != nil)
    }

    @Test func collectionTagOnWrongNode() {
        #expect(parseError("a: !!seq foo\n")?.message == "tag !!seq cannot be used on a scalar")
        #expect(parseError("a: !!map [1]\n")?.message == "tag !!map cannot be used on a sequence")
        #expect(parseError("a: !!str {b: 1}\n")?.message == "tag !!str cannot be used on a mapping")
    }

    @Test func unknownTagsAreRefused() {
        let error = parseError("spec:\n  source: !Import foo\n")
        #expect(error?.message == #"unsupported tag !Import: kubectl would drop it; write the value as a quoted string, e.g. "!Import foo""#)
        #expect(error?.description == #"test.yaml:2:11: spec.source: unsupported tag !Import: kubectl would drop it; write the value as a quoted string, e.g. "!Import foo""#)
        #expect(parseError("a: !Ref x\n")?.message.contains("unsupported tag !Ref") == true)
        #expect(parseError("a: !Sub 'x ${y}'\n")?.message.contains(#"e.g. "!Sub \"x ${y}\"""#) == true)
        #expect(parseError("a: !!set {x}\n")?.message.contains("unsupported tag !!set") == true)
        #expect(parseError("a: !Foo {b: 1}\n")?.message == "unsupported tag !Foo on a mapping: kubectl would drop it; remove the tag")
        #expect(parseError("a: !<tag:example.com,2024:x> 1\n")?.message.contains("!<tag:example.com,2024:x>") == true)
    }

    @Test func mappingKeysBecomeStrings() throws {
        let value = try parse("1: a\ntrue: b\n0x10: d\n1.5: e\n1e3: f\n'~': g\n'yes': h\nplain: i\n")
        #expect(value.objectValue?.keys == ["1", "true", "16", "1.5", "1000", "~", "yes", "plain"])
        #expect(try parse("yes: a\nn: b\n")  == ["true": "a", "false": "b"])
    }

    @Test func yesAndTrueKeysCollide() {
        // Both read as the boolean true, which kubectl turns into the key "true".
        #expect(parseError("true: a\nyes: b\n")?.message.contains("duplicate key \"true\"") == true)
    }

    @Test func nullAndCollectionKeysAreRefused() {
        #expect(parseError("~: a\n")?.message.contains("reads as null") == true)
        #expect(parseError("? [a]\n: b\n")?.message == "a sequence cannot be used as a mapping key; keys must be strings, numbers or booleans")
        #expect(parseError("? {a: 1}\n: b\n")?.location?.mark == SourceMark(line: 1, column: 3))
    }
}
