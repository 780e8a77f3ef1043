import Testing
import YAML

@Suite struct QuotingAndEscapeTests {
    @Test func doubleQuotedEscapes() throws {
        let value = try parse(#"a: "line\nnext\ttab \"q\" back\\slash \x41 \u00e9 \U0001F600""# + "\n")
        #expect(value["a"] == "line\nnext\ttab \"q\" back\\slash A é 😀")
    }

    @Test func moreDoubleQuotedEscapes() throws {
        #expect(try parse(#"a: "\0\a\b\e\f\r\v\/\ \N\_\L\P""# + "\n")["a"]
            == "\0\u{07}\u{08}\u{1B}\u{0C}\r\u{0B}/ \u{85}\u{A0}\u{2028}\u{2029}")
    }

    @Test func singleQuotedDoubledQuote() throws {
        #expect(try parse("a: 'it''s ''quoted'''\n")["a"] == "it's 'quoted'")
        #expect(try parse("a: 'no \\n escapes'\n")["a"] == "no \\n escapes")
    }

    @Test func quotedScalarsFoldLines() throws {
        #expect(try parse("a: 'one\n  two\n\n  three'\n")["a"] == "one two\nthree")
        #expect(try parse("a: \"one \\\n  two\"\n")["a"] == "one two")
    }

    @Test func commentsEverywhere() throws {
        let text = """
            # leading comment
            --- # after the marker
            a: b # trailing
            # between keys
            c: # before a nested block
              - 1 # in a sequence
              # inside the sequence
              - [2, # inside flow
                 3]
            d: "x # not a comment"
            e: f#g
            # final comment
            """
        #expect(try parse(text) == ["a": "b", "c": [1, [2, 3]], "d": "x # not a comment", "e": "f#g"])
    }

    @Test func unicodeInPlainAndQuotedScalars() throws {
        let value = try parse("名前: 太郎\n絵文字: 😀 smile\nquoted: '日本語 🎉'\n\"ключ\": \"значение\"\n")
        #expect(value == ["名前": "太郎", "絵文字": "😀 smile", "quoted": "日本語 🎉", "ключ": "значение"])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let document = try YAML.parseDocument("名前: 太郎\n値: 二\nx: [1, 😀, 3]\n")
        #expect(document.location(of: "値")?.mark == SourceMark(line: 2, column: 4))
        #expect(document.location(of: "x[1]")?.mark == SourceMark(line: 3, column: 8))
        #expect(document.location(of: "x[2]")?.mark == SourceMark(line: 3, column: 11))
    }

    @Test func byteOrderMarkIsIgnored() throws {
        #expect(try parse("\u{FEFF}a: 1\n") == ["a": 1])
    }

    @Test func windowsLineEndings() throws {
        #expect(try parse("a: 1\r\nb:\r\n  - x\r\n") == ["a": 1, "b": ["x"]])
    }
}
