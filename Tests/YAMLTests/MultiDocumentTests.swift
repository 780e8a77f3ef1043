import Testing
import YAML

@Suite struct MultiDocumentTests {
    @Test func documentsSeparatedByMarkers() throws {
        let documents = try YAML.parseDocuments("a: 1\n---\nb: 2\n")
        #expect(documents.map(\.value) == [["a": 1], ["b": 2]])
    }

    @Test func leadingMarkerAndDocumentEnd() throws {
        let documents = try YAML.parseDocuments("---\na: 1\n...\n---\nb: 2\n...\n")
        #expect(documents.map(\.value) == [["a": 1], ["b": 2]])
    }

    @Test func emptyDocumentsAreDropped() throws {
        #expect(try YAML.parseDocuments("---\n---\na: 1\n---\n").map(\.value) == [["a": 1]])
        #expect(try YAML.parseDocuments("---\n").isEmpty)
        #expect(try YAML.parseDocuments("---\n---\n---\n").isEmpty)
        #expect(try YAML.parseDocuments("").isEmpty)
        #expect(try YAML.parseDocuments("# only a comment\n").isEmpty)
    }

    @Test func explicitNullDocumentIsKept() throws {
        let documents = try YAML.parseDocuments("--- ~\n---\na: 1\n")
        #expect(documents.map(\.value) == [.null, ["a": 1]])
    }

    @Test func scalarOnTheMarkerLine() throws {
        #expect(try YAML.parseDocuments("--- hello\n--- 42\n").map(\.value) == ["hello", 42])
    }

    @Test func documentMarksAndFiles() throws {
        let documents = try YAML.parseDocuments("a: 1\n---\nb: 2\n", file: "x.yaml")
        #expect(documents.count == 2)
        #expect(documents[1].mark.line == 2)
        #expect(documents.allSatisfy { $0.file == "x.yaml" })
    }

    @Test func parseDocumentRefusesSeveral() {
        do {
            _ = try YAML.parseDocument("a: 1\n---\nb: 2\n", file: "x.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("expected a single YAML document, found 2"))
            #expect(error.location?.line == 2)
        }
    }

    @Test func parseDocumentOfEmptyTextIsNull() throws {
        let document = try YAML.parseDocument("# nothing here\n")
        #expect(document.root == nil)
        #expect(document.value == .null)
        #expect(document.location(of: "a.b") == nil)
    }

    @Test func anchorsDoNotCrossDocuments() {
        let error = parseError("a: &x 1\n---\nb: *x\n")
        #expect(error?.message == "alias *x refers to an undefined anchor")
        #expect(error?.location?.line == 3)
    }
}
