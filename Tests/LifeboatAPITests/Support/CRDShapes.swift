import LifeboatAPI
import YAML

/// The CRD side of the agreement test: the same `Shapes` read from an openAPIV3Schema.
enum CRDShapes {
    /// Top-level fields every Kubernetes object has, which Lifeboat's Swift types handle
    /// separately (apiVersion/kind are checked by the loader; metadata is ObjectMeta).
    static let objectEnvelope: Set<String> = ["apiVersion", "kind", "metadata"]

    static func shapes(of schema: StructuralSchema) -> Shapes {
        var shapes: Shapes = [:]
        for (name, child) in schema.properties where !objectEnvelope.contains(name) {
            walk(child, at: name, required: schema.required.contains(name), into: &shapes)
        }
        return shapes
    }

    private static func walk(_ schema: StructuralSchema, at path: String, required: Bool, into shapes: inout Shapes) {
        let kind: FieldShape.Kind
        switch schema.type {
        case "string": kind = .string
        case "integer": kind = .integer
        case "number": kind = .number
        case "boolean": kind = .boolean
        case "array": kind = .array
        default:
            if schema.preservesUnknownFields && schema.properties.isEmpty { kind = .opaque }
            else if schema.additionalProperties != nil { kind = .map }
            else { kind = .object }
        }
        shapes[path] = FieldShape(kind: kind, required: required,
                                  enumValues: schema.enumValues?.compactMap(\.stringValue),
                                  defaultValue: schema.defaultValue)
        switch kind {
        case .object:
            for (name, child) in schema.properties {
                walk(child, at: "\(path).\(name)", required: schema.required.contains(name), into: &shapes)
            }
        case .array:
            if let items = schema.items { walk(items, at: path + "[]", required: false, into: &shapes) }
        case .map:
            if let values = schema.additionalProperties { walk(values, at: path + ".{}", required: false, into: &shapes) }
        default:
            break
        }
    }
}

/// Compares the two sides and lists every disagreement, one line each.
enum ShapeComparison {
    static func differences(swift: Shapes, crd: Shapes) -> [String] {
        var differences: [String] = []
        let swift = swift.filter { path, _ in
            !CRDShapes.objectEnvelope.contains { path == $0 || path.hasPrefix($0 + ".") }
        }
        // Below a CRD field that preserves unknown fields the CRD says nothing, by design.
        let opaque = crd.filter { $0.value.kind == .opaque }.map(\.key)
        func underOpaque(_ path: String) -> Bool {
            opaque.contains { path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[]") }
        }
        for path in Set(swift.keys).union(crd.keys).sorted() where !underOpaque(path) {
            switch (swift[path], crd[path]) {
            case (let s?, nil): differences.append("\(path): only in Swift (\(s))")
            case (nil, let c?): differences.append("\(path): only in the CRD (\(c))")
            case (var s?, let c?):
                if c.kind == .opaque { s.kind = .opaque }  // the CRD keeps it verbatim, whatever Swift makes of it
                if s.kind != c.kind { differences.append("\(path): Swift has \(s.kind.rawValue), the CRD \(c.kind.rawValue)") }
                if s.required != c.required {
                    differences.append("\(path): \(s.required ? "required" : "optional") in Swift, \(c.required ? "required" : "optional") in the CRD")
                }
                if s.enumValues.map(Set.init) != c.enumValues.map(Set.init) {
                    differences.append("\(path): enum \(s.enumValues?.sorted() ?? []) in Swift, \(c.enumValues?.sorted() ?? []) in the CRD")
                }
                if s.defaultValue != c.defaultValue {
                    func show(_ v: JSONValue?) -> String { v.map { JSONWriter.write($0, pretty: false) } ?? "none" }
                    differences.append("\(path): default \(show(s.defaultValue)) in Swift, \(show(c.defaultValue)) in the CRD")
                }
            case (nil, nil): break
            }
        }
        return differences
    }
}
