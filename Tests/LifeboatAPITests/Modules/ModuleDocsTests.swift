#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifeboatAPI
import Testing
import YAML

extension ModuleCatalogTests {
    /// docs/modules.md is written by hand; the descriptors are the source of truth. These tests
    /// fail when the two drift apart.
    @Suite struct Docs {
        /// `<repo>/docs/modules.md`, found from this file's path (`<repo>/Tests/LifeboatAPITests/Modules/…`).
        static let docsPath: String = {
            var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
            parts.removeLast(4)
            return parts.joined(separator: "/") + "/docs/modules.md"
        }()

        static func sections() throws -> [String: String] {
            let text = String(decoding: try Data(contentsOf: URL(filePath: docsPath)), as: UTF8.self)
            var sections: [String: String] = [:]
            var current: String?
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("## ") {
                    current = String(line.dropFirst(3))
                    sections[current!] = ""
                } else if let current {
                    sections[current, default: ""] += line + "\n"
                }
            }
            return sections
        }

        @Test func everyModuleHasASectionWithItsFacts() throws {
            let sections = try Self.sections()
            for descriptor in ModuleCatalog.all {
                let section = try #require(sections[descriptor.name.rawValue], "no '## \(descriptor.name)' section")
                let phases = descriptor.supportedPhases.map(\.rawValue).joined(separator: ", ")
                #expect(section.contains("| Phases | \(phases) |"), "\(descriptor.name): phases")
                #expect(section.contains("| Drill default | \(descriptor.drillDefaultsDescription) |"), "\(descriptor.name): drill default")
                #expect(section.contains("| Default timeout | \(descriptor.defaultTimeout) |"), "\(descriptor.name): timeout")
            }
        }

        /// Every parameter, nested ones included (`Items[]` fields, `LaunchSettings`, `ServerOverrides`),
        /// appears in its module's parameter table as a row starting with `| \`Name\``, with its
        /// required-ness and default.
        @Test func everyParameterIsDocumented() throws {
            let sections = try Self.sections()
            for descriptor in ModuleCatalog.all {
                let section = sections[descriptor.name.rawValue] ?? ""
                for field in Self.fields(of: descriptor.parameters) {
                    let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `\(field.name)` |") }
                    guard let row = rows.first else {
                        Issue.record("\(descriptor.name): parameter \(field.name) is not in docs/modules.md")
                        continue
                    }
                    // "\|" is a literal pipe inside a cell (enum values: `STOPPED \| STARTED`).
                    let cells = row.replacing("\\|", with: "\u{1F}").split(separator: "|")
                        .map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).replacing("\u{1F}", with: "|") }
                    #expect(cells.count >= 4, "\(descriptor.name).\(field.name): row needs name, type, required, default, notes")
                    if cells.count >= 4 {
                        #expect(cells[1] == field.schema.typeDescription, "\(descriptor.name).\(field.name): type column")
                        #expect(cells[2] == field.requirement.summary, "\(descriptor.name).\(field.name): required column")
                        let expectedDefault = field.defaultValue.map { "`\(Self.render($0))`" } ?? "–"
                        #expect(cells[3] == expectedDefault, "\(descriptor.name).\(field.name): default column")
                    }
                }
            }
        }

        /// Each module's YAML example is a resource entry whose parameters validate cleanly.
        @Test func examplesAreValid() throws {
            let sections = try Self.sections()
            for descriptor in ModuleCatalog.all {
                let section = sections[descriptor.name.rawValue] ?? ""
                guard let start = section.firstRange(of: "```yaml\n"), let end = section[start.upperBound...].firstRange(of: "```") else {
                    Issue.record("\(descriptor.name): no YAML example")
                    continue
                }
                let value = try YAML.parseDocument(String(section[start.upperBound..<end.lowerBound])).value
                let resource = try #require(value[0], "\(descriptor.name): the example is a list with one resource")
                #expect(resource["module"] == JSONValue.string(descriptor.name.rawValue))
                let phases = resource["phases"]?.arrayValue?.compactMap { $0.stringValue.flatMap(Phase.init(rawValue:)) }
                let problems = descriptor.validate(parameters: resource["parameters"], phases: phases ?? descriptor.supportedPhases, at: base)
                #expect(problems.isEmpty, "\(descriptor.name) example: \(problems)")
            }
        }

        @Test func referencesSectionExists() throws {
            let sections = try Self.sections()
            let section = try #require(sections["Parameter references"])
            for spelling in ["resolve:ssm:", "{{resolve:ssm:", "!Import"] { #expect(section.contains(spelling)) }
        }

        static func fields(of schema: ParameterSchema) -> [ParameterField] {
            guard let object = schema.objectSchema else { return [] }
            var out: [ParameterField] = []
            for field in object.fields {
                out.append(field)
                switch field.schema {
                case .object: out += fields(of: field.schema)
                case .list(let item, _): out += fields(of: item)
                default: break
                }
            }
            return out
        }

        static func render(_ value: JSONValue) -> String {
            switch value {
            case .string(let s): s
            case .bool(let b): String(b)
            case .int(let i): String(i)
            default: "\(value)"
            }
        }
    }
}
