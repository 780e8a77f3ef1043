import Testing
import YAML

@Suite struct LocationTests {
    static let text = """
        apiVersion: lifeboat.dev/v1
        defaults: &defaults
          timeout: 30
        spec:
          layers:
          - name: db
            <<: *defaults
          - name: web
            replicas: 3
        """

    @Test func locationsOfExistingPaths() throws {
        let document = try YAML.parseDocument(Self.text, file: "plan.yaml")
        #expect(document.location(of: "apiVersion")?.description == "plan.yaml:1:13")
        #expect(document.location(of: "spec.layers")?.mark == SourceMark(line: 6, column: 3))
        #expect(document.location(of: "spec.layers[1].replicas")?.mark == SourceMark(line: 9, column: 15))
        #expect(document.location(of: .root)?.mark == SourceMark(line: 1, column: 1))
    }

    @Test func pathsThroughMergeKeysPointAtTheAnchoredText() throws {
        let document = try YAML.parseDocument(Self.text, file: "plan.yaml")
        #expect(document.location(of: "spec.layers[0].timeout")?.mark == SourceMark(line: 3, column: 12))
    }

    @Test func missingPathsFallBackToTheNearestAncestor() throws {
        let document = try YAML.parseDocument(Self.text)
        #expect(document.location(of: "spec.layers[1].missing.deeper")?.mark == SourceMark(line: 8, column: 5))
        #expect(document.location(of: "spec.layers[7]")?.mark == SourceMark(line: 6, column: 3))
        #expect(document.location(of: "apiVersion.child")?.mark == SourceMark(line: 1, column: 13))
        #expect(document.location(of: "spec.layers[0].name")?.file == nil)
    }

    @Test func descriptions() {
        #expect(SourceLocation(file: "a.yaml", mark: SourceMark(line: 3, column: 5)).description == "a.yaml:3:5")
        #expect(SourceLocation(mark: SourceMark(line: 3, column: 5)).description == "3:5")
        let full = YAMLError("boom", location: SourceLocation(file: "f.yaml", mark: SourceMark(line: 3, column: 5)),
                             path: "spec.layers[0].name")
        #expect(full.description == "f.yaml:3:5: spec.layers[0].name: boom")
        #expect(YAMLError("boom", path: .root).description == "boom")
        #expect(YAMLError("boom", path: "a").description == "a: boom")
    }

    @Test func nodeTreeIsExposed() throws {
        let document = try YAML.parseDocument("a: &x 'q'\nb: [*x, 2]\n")
        let pairs = try #require(document.root?.mappingPairs)
        #expect(pairs.map { $0.key.scalarValue } == ["a", "b"])
        guard case .scalar(let value, let style, let tag) = pairs[0].value.kind else {
            Issue.record("expected a scalar")
            return
        }
        #expect(value == "q" && style == .singleQuoted && tag == nil)
        #expect(pairs[0].value.anchor == "x")
        let items = try #require(pairs[1].value.sequenceItems)
        #expect(items[0] === pairs[0].value)  // aliases share the anchored node
        #expect(items[1].mark == SourceMark(line: 2, column: 9))
    }
}
