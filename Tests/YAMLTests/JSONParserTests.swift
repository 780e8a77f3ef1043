import Testing
import YAML

/// The strict JSON reader every API body goes through (Kubernetes objects, watch events, AWS JSON
/// protocols): what it builds, and where and why it refuses.
@Suite struct JSONParserTests {
    /// "offset: message", or nil when it parses.
    func failure(_ text: String) -> String? { failure(Array(text.utf8)) }

    func failure(_ bytes: [UInt8]) -> String? {
        do { _ = try JSONParser.parse(bytes); return nil } catch { return "\(error.offset): \(error.message)" }
    }

    @Test func valuesOfEveryKind() throws {
        let value = try JSONParser.parse(#" { "s" : "x" , "i" : -12 , "d" : 1.5e3 , "t" : true , "f" : false , "n" : null , "a" : [ 1 , [ ] , { } ] } "#)
        let expected: JSONValue = ["s": "x", "i": -12, "d": 1500.0, "t": true, "f": false, "n": nil, "a": [1, [], [:]]]
        #expect(identical(value, expected))
        #expect(try JSONParser.parse("[]") == [])
        #expect(try JSONParser.parse("{}") == [:])
        #expect(try JSONParser.parse("\"\"") == "")
        #expect(try JSONParser.parse("0") == 0)
    }

    @Test func objectsKeepTheirKeyOrderAndALaterDuplicateWinsInPlace() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":{"y":true,"b":false},"z":3}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["z"] == 3)
        #expect(object["m"]?.objectValue?.keys == ["y", "b"])
    }

    @Test func numbers() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try JSONParser.parse("2.0") == .double(2))
        #expect(try JSONParser.parse("-0.25E-2") == .double(-0.0025))
        #expect(failure("-") == "1: unexpected character")
        #expect(failure("1.2.3") == "0: invalid number \"1.2.3\"")
    }

    @Test func stringsWithEscapesAndUnicode() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try JSONParser.parse(#""\u00e9\u20AC\ud83d\ude00""#) == .string("é€😀"))
        #expect(try JSONParser.parse("\"grüße 😀\"") == .string("grüße 😀"))
        #expect(try JSONParser.parse(#""\ud83d""#) == .string("\u{FFFD}"), "a lone surrogate becomes U+FFFD")
        #expect(try JSONParser.parse(#"{"ключ":"значение"}"#) == ["ключ": "значение"])
    }

    @Test func refusals() {
        #expect(failure("") == "0: unexpected end of input")
        #expect(failure("{\"a\" 1}") == "5: expected ':'")
        #expect(failure("{\"a\":1,}") == "7: expected a string key")
        #expect(failure("[1 2]") == "3: expected ',' or ']'")
        #expect(failure("{\"a\":1 \"b\":2}") == "7: expected ',' or '}'")
        #expect(failure("[1,") == "3: unexpected end of input")
        #expect(failure("[1") == "2: unexpected end of input in an array")
        #expect(failure("{\"a\":1") == "6: unexpected end of input in an object")
        #expect(failure("\"abc") == "4: unterminated string")
        #expect(failure("\"a\u{1}\"") == "2: control character in a string")
        #expect(failure(#""\x""#) == "3: invalid escape")
        #expect(failure(#""\u12g4""#) == #"5: invalid \u escape"#)
        #expect(failure(#""\u12""#) == #"3: truncated \u escape"#)
        #expect(failure(#""\ud83d\u0041""#) == "13: invalid surrogate pair")
        #expect(failure("\"\\") == "2: unterminated escape")
        #expect(failure("tru") == "0: unexpected end of input")
        #expect(failure("nul!") == "0: unexpected character")
        #expect(failure("{} x") == "3: unexpected text after the value")
        #expect(failure(String(repeating: "[", count: 513)) == "512: nested deeper than 512 levels")
        #expect(failure(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) == nil)
    }

    @Test func invalidUTF8InAStringIsRefusedWhereverItIs() {
        let refused = "5: string is not valid UTF-8"
        #expect(failure([0x22, 0x61, 0xC3, 0x28] + [0x22]) == refused, "a broken two-byte sequence")
        #expect(failure([0x22, 0xFF, 0x61, 0x62, 0x22]) == refused)
        #expect(failure([0x22, 0x61, 0x5C, 0x6E, 0xE2, 0x82, 0x22]) == "7: string is not valid UTF-8",
                "after an escape")
        #expect(failure([0x22, 0xED, 0xA0, 0x80, 0x22]) == "5: string is not valid UTF-8",
                "an encoded surrogate")
    }

    @Test func omittingAMemberUnderAParent() throws {
        let text = #"{"metadata":{"name":"a","managedFields":[{"f:x":{}}],"uid":"u"},"#
            + #""spec":{"managedFields":1,"metadata":{"managedFields":2,"b":true}},"managedFields":3,"#
            + #""items":[{"metadata":{"managedFields":{"deep":[1,"x"]}}}],"other":{"metadata":"managedFields"}}"#
        let value = try JSONParser.parse(Array(text.utf8), omitting: "managedFields", under: "metadata")
        let expected: JSONValue = ["metadata": ["name": "a", "uid": "u"],
                                   "spec": ["managedFields": 1, "metadata": ["b": true]], "managedFields": 3,
                                   "items": [["metadata": [:]]], "other": ["metadata": "managedFields"]]
        #expect(identical(value, expected))
    }

    @Test func anOmittedValueIsRefusedWhereTheWholeParseRefusesIt() {
        func omitting(_ text: String) -> String? {
            do { _ = try JSONParser.parse(Array(text.utf8), omitting: "managedFields", under: "metadata"); return nil }
            catch { return "\(error.offset): \(error.message)" }
        }
        for text in [#"{"metadata":{"managedFields":[1,}]}}"#, #"{"metadata":{"managedFields":{"a":"\q"}}}"#,
                     #"{"metadata":{"managedFields":[1.2.3]}}"#, #"{"metadata":{"managedFields":"\#u{1}"}}"#,
                     #"{"metadata":{"managedFields":{"a" 1}}}"#, #"{"metadata":{"managedFields":[tru]}}"#,
                     #"{"metadata":{"managedFields":"#, #"{"metadata":{"managedFields":"\ud83d\u0041"}}"#,
                     #"{"metadata":{"managedFields":"#  + String(repeating: "[", count: 600)] {
            #expect(omitting(text) != nil && omitting(text) == failure(text), "\(text.prefix(60))")
        }
        let broken: [UInt8] = Array(#"{"metadata":{"managedFields":""#.utf8) + [0xC3, 0x28, 0x22, 0x7D, 0x7D]
        #expect(failure(broken) == "33: string is not valid UTF-8")
        do { _ = try JSONParser.parse(broken, omitting: "managedFields", under: "metadata"); Issue.record("parsed") } catch {
            #expect(error.offset == 33 && error.message == "string is not valid UTF-8")
        }
    }
}
