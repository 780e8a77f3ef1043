import Testing
import YAML

@Suite struct AnchorAndMergeTests {
    @Test func scalarAndCollectionAliases() throws {
        let value = try parse("a: &s hello\nb: *s\nc: &l [1, {x: z}]\nd: *l\n")
        #expect(value == ["a": "hello", "b": "hello", "c": [1, ["x": "z"]], "d": [1, ["x": "z"]]])
    }

    @Test func laterAnchorOfTheSameNameWins() throws {
        let value = try parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n")
        #expect(value == ["a": 1, "b": 1, "c": 2, "d": 2])
    }

    @Test func innerRedefinitionOfAnOpenAnchor() throws {
        let value = try parse("outer: &x\n  inner: &x 5\nuse: *x\n")
        #expect(value["use"] == 5)
    }

    @Test func mergeSingleMapping() throws {
        let value = try parse("""
            base: &base {a: 1, b: 2}
            derived:
              <<: *base
              b: 3
              c: 4
            """)
        #expect(value["derived"] == ["a": 1, "b": 3, "c": 4])
        #expect(value["derived"]?.objectValue?.keys == ["a", "b", "c"])
    }

    @Test func mergeListEarlierMapsWin() throws {
        let value = try parse("""
            p: &p {a: 1, b: 1}
            q: &q {b: 2, c: 2}
            m:
              <<: [*p, *q]
              d: 3
            """)
        #expect(value["m"] == ["a": 1, "b": 1, "c": 2, "d": 3])
    }

    @Test func mergeInlineMapping() throws {
        #expect(try parse("m:\n  <<: {a: 1}\n  b: 2\n")["m"] == ["a": 1, "b": 2])
    }

    /// go-yaml v2 (kubectl) applies `<<` where it stands, so it overrides keys written before it.
    @Test func mergeIsPositionalLikeGoYAMLv2() throws {
        #expect(try parse("m:\n  a: 1\n  <<: {a: 2, b: 2}\n")["m"] == ["a": 2, "b": 2])
    }

    @Test func nestedMergeChains() throws {
        let value = try parse("""
            a: &a {x: 1}
            b: &b
              <<: *a
              w: 2
            c:
              <<: *b
              z: 3
            """)
        #expect(value["c"] == ["x": 1, "w": 2, "z": 3])
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        #expect(try parse("m:\n  '<<': {a: 1}\n")["m"] == ["<<": ["a": 1]])
    }

    @Test func taggedMergeKey() throws {
        #expect(try parse("m:\n  !!merge <<: {a: 1}\n")["m"] == ["a": 1])
    }

    @Test func mergeOfAScalarIsAnError() {
        let error = parseError("m:\n  <<: 5\n")
        #expect(error?.message == "the merge key << needs a mapping or a list of mappings, found a scalar")
        #expect(error?.location?.mark == SourceMark(line: 2, column: 7))
        #expect(parseError("m:\n  <<: [{a: 1}, 2]\n")?.message.contains("found a scalar") == true)
    }

    @Test func mergedKeysAreNotDuplicates() throws {
        #expect(try parse("b: &b {a: 1}\nm:\n  <<: *b\n  a: 2\n")["m"] == ["a": 2])
    }

    @Test func undefinedAlias() {
        let error = parseError("a: *nope\n")
        #expect(error?.message == "alias *nope refers to an undefined anchor")
        #expect(error?.description == "test.yaml:1:4: alias *nope refers to an undefined anchor")
    }

    @Test func recursiveAliasIsAnError() {
        #expect(parseError("a: &a [1, *a]\n")?.message.contains("recursive aliases are not allowed") == true)
        #expect(parseError("&a {x: {y: *a}}\n")?.message.contains("recursive") == true)
    }

    @Test func billionLaughsIsRefused() {
        var lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
        }
        let error = parseError(lines.joined(separator: "\n") + "\n")
        #expect(error?.message == "document expands aliases into more than 100000 nodes (a \"billion laughs\" document?)")
        #expect(error?.location != nil)
    }

    @Test func aliasLimitIsConfigurable() {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
        #expect(parseError(text) == nil)
        #expect(parseError(text, limits: YAMLLimits(maxAliasExpansion: 8))?.message.contains("more than 8 nodes") == true)
    }

    @Test func aliasDepthCountsTowardsTheLimit() {
        let deep = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        let text = "a: &a \(deep)\nb: [[[[*a]]]]\n"
        #expect(parseError(text, limits: YAMLLimits(maxDepth: 15)) == nil)
        #expect(parseError(text, limits: YAMLLimits(maxDepth: 14))?.message.contains("more than 14 levels") == true)
    }
}
