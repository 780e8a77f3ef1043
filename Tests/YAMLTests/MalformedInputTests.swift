import TestSupport
import Testing
import YAML

@Suite struct MalformedInputTests {
    @Test func unclosedQuote() throws {
        let error = try #require(parseError("a: 'unclosed\nb: 2\n"))
        #expect(error.message == "found unexpected end of stream while scanning a quoted scalar that starts at line 1, column 4")
        #expect(error.location == SourceLocation(file: "test.yaml", mark: SourceMark(line: 3, column: 1)))
    }

    @Test func badIndentation() throws {
        let error = try #require(parseError("a:\n  b: 1\n c: 2\n"))
        #expect(error.message.hasPrefix("this line is not indented consistently with the lines above it"))
        #expect(error.description.hasPrefix("test.yaml:3:2: "))
    }

    @Test func tabIndentation() throws {
        let error = try #require(parseError("a:\n\tb: 1\n"))
        #expect(error.message.hasPrefix("found a tab character where indentation is expected"))
        #expect(error.location?.mark == SourceMark(line: 2, column: 1))
    }

    @Test func unclosedFlowSequence() throws {
        let error = try #require(parseError("a: [1, 2\nb: 3\n"))
        #expect(error.message.contains("did not find expected ',' or ']'"))
        #expect(error.message.contains("flow sequence that starts at line 1, column 4"))
        #expect(error.location?.line == 2)
        #expect(parseError("a: [1, 2\n")?.location != nil)
    }

    @Test func mappingValueInPlainScalar() {
        let error = parseError("a: b: c\n")
        #expect(error?.message == "mapping values are not allowed in this context")
        #expect(error?.description == "test.yaml:1:5: mapping values are not allowed in this context")
    }

    @Test func controlCharacter() {
        let error = parseError("a: ok\nb: x\u{07}y\n")
        #expect(error?.message.hasPrefix("control characters are not allowed (found U+0007)") == true)
        #expect(error?.location?.mark == SourceMark(line: 2, column: 5))
    }

    @Test func duplicateKeys() throws {
        let error = try #require(parseError("metadata:\n  name: a\n  labels: {}\n  name: b\n"))
        #expect(error.message == "duplicate key \"name\" (first on line 2, again on line 4); kubectl refuses duplicate keys")
        #expect(error.path == "metadata.name")
        #expect(error.location?.mark == SourceMark(line: 4, column: 3))
        #expect(parseError("{a: 1, a: 2}\n")?.message.contains("duplicate key \"a\"") == true)
        #expect(parseError("1: a\n'1': b\n")?.message.contains("duplicate key \"1\"") == true)
    }

    @Test func errorWithoutFile() {
        #expect(parseError("a: *x\n", file: nil)?.description == "1:4: alias *x refers to an undefined anchor")
    }

    @Test func depthBombIsRefused() {
        let error = parseError(String(repeating: "[", count: 10_000))
        #expect(error?.message == "document nests collections more than 256 levels deep")
        #expect(parseError(String(repeating: "{a: ", count: 10_000))?.message.contains("256 levels") == true)
        var block = ""
        for level in 0..<300 { block += String(repeating: " ", count: level) + "- \n" }
        #expect(parseError(block)?.message.contains("256 levels") == true)
    }

    @Test func depthAtTheLimitIsAccepted() throws {
        let text = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        let value = try parse(text)
        var depth = 0
        var current = value
        while case .array(let items) = current {
            depth += 1
            current = items.first ?? .null
        }
        #expect(depth == 256)
        // Deep values also decode without trouble.
        #expect(try YAMLDecoder().decode(JSONValue.self, from: value) == value)
    }

    @Test func inputSizeLimit() {
        let error = parseError(String(repeating: "a", count: 20), limits: YAMLLimits(maxDocumentBytes: 10))
        #expect(error?.message == "the YAML input is 20 bytes, more than the limit of 10 bytes")
    }

    /// Inputs that have crashed YAML libraries before; each must give a value or an error.
    @Test(arguments: [
        "", " ", "\n", ":", "- ", "-", "?", "? ", "[", "]", "{", "}", "{]", "[}", "&", "*", "!", "|", ">", "'", "\"",
        "%YAML 1.1\n", "%YAML 2.0\n---\n", "%TAG ! tag:x,2000:\n--- !a b\n", "---\n...\n...\n", "&a", "*a", "&a *a",
        "a: &a\nb: *a\n", "!!", "! !", "a: |\n\tb\n", "a: >0\n x\n", "a: |10\n x\n", "[&a a, *a]", "{? : }", ": :",
        "- - - - -", "'\\", "\"\\", "\"\\x\"", "\"\\u12\"", "\"\\U110000\"", "a:\n- b\nc", "\u{FEFF}\u{FEFF}",
        "a: 'b'c", "[a, b]]", "key: value\n  bad: indent", "- a\nb: c", "@", "`", "%", "\t", "a:\t1", "x\u{0}y",
    ])
    func hostileInputNeverCrashes(text: String) {
        _ = try? YAML.parseDocuments(text)
        _ = try? YAMLDecoder().decode(JSONValue.self, from: text)
    }

    @Test func randomMutationsNeverCrash() {
        let seed = """
            apiVersion: v1
            kind: List
            items:
            - &a {name: "x\\u00e9", ports: [80, 443], text: |
                hi
              }
            - <<: *a
              extra: 'q''s'
            --- # second
            [1, 2.5, ~, yes, !!str 3, >-
              folded]
            """
        let alphabet = Array("-?:,[]{}#&*!|>'\"%@` \t\n\\xyz01é😀<~.".unicodeScalars)
        var rng = SeededGenerator(seed: 0x5EED)
        var scalars = Array(seed.unicodeScalars)
        for _ in 0..<1500 {
            var mutated = scalars
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let index = Int.random(in: 0..<mutated.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: mutated[index] = alphabet.randomElement(using: &rng) ?? " "
                case 1: mutated.insert(alphabet.randomElement(using: &rng) ?? " ", at: index)
                default: if mutated.count > 1 { mutated.remove(at: index) }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: mutated)
            _ = try? YAML.parseDocuments(text)
            if Int.random(in: 0..<10, using: &rng) == 0 { scalars = mutated }
        }
        // Every prefix of the valid document, too.
        for length in 0...seed.unicodeScalars.count {
            var text = ""
            text.unicodeScalars.append(contentsOf: seed.unicodeScalars.prefix(length))
            _ = try? YAML.parseDocuments(text)
        }
    }
}
