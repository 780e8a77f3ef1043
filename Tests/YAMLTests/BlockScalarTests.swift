import Testing
import YAML

@Suite struct BlockScalarTests {
    @Test func literalClip() throws {
        #expect(try parse("a: |\n  line1\n  line2\n\nb: 1\n")["a"] == "line1\nline2\n")
    }

    @Test func literalStrip() throws {
        #expect(try parse("a: |-\n  line1\n  line2\n\n\nb: 1\n")["a"] == "line1\nline2")
    }

    @Test func literalKeep() throws {
        #expect(try parse("a: |+\n  line1\n\n\nb: 1\n")["a"] == "line1\n\n\n")
    }

    @Test func foldedClip() throws {
        #expect(try parse("a: >\n  one\n  two\n\n  three\n")["a"] == "one two\nthree\n")
    }

    @Test func foldedStripAndKeep() throws {
        #expect(try parse("a: >-\n  one\n  two\n")["a"] == "one two")
        #expect(try parse("a: >+\n  one\n\nb: 1\n")["a"] == "one\n\n")
    }

    @Test func foldedKeepsMoreIndentedLines() throws {
        #expect(try parse("a: >\n  a\n    b\n  c\n")["a"] == "a\n  b\nc\n")
    }

    @Test func indentationIndicator() throws {
        #expect(try parse("a: |2\n    indented\n  x\n")["a"] == "  indented\nx\n")
        #expect(try parse("a: |1-\n  two spaces\n")["a"] == " two spaces")
        #expect(try parse("- >2-\n     x\n")[0] == "   x")
    }

    @Test func indicatorAndChompingInEitherOrder() throws {
        #expect(try parse("a: |-2\n   x\n")["a"] == " x")
        #expect(try parse("a: |2-\n   x\n")["a"] == " x")
    }

    @Test func contentIsAlwaysText() throws {
        #expect(try parse("a: |\n  123\n")["a"] == "123\n")
        #expect(try parse("a: >-\n  true\n")["a"] == "true")
        #expect(try parse("a: |-\n  # not a comment\n  x: y\n")["a"] == "# not a comment\nx: y")
    }

    @Test func commentAfterHeader() throws {
        #expect(try parse("a: | # a comment\n  x\n")["a"] == "x\n")
    }

    @Test func blockScalarInSequenceAndAtRoot() throws {
        #expect(try parse("- |\n  one\n- two\n") == ["one\n", "two"])
        #expect(try parse("|\n  root text\n") == "root text\n")
    }
}
