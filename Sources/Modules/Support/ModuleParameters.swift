import Engine
import LifeboatAPI
import YAML

/// A resource's parameters after reference resolution, checked again against the module's
/// schema (a resolved SSM value may not be what the plan promised) and read with the types
/// the schema guarantees. Absent optional keys read as nil; the module applies its defaults.
struct ModuleParameters: Sendable {
    let object: JSONObject
    let path: FieldPath

    /// Validates for the running phase; any error fails the resource before an AWS call, naming
    /// the parameter and how to fix it.
    init(_ context: ModuleContext, _ descriptor: ModuleDescriptor) throws(ModuleError) {
        let root = FieldPath.root.key("parameters")
        let value = descriptor.parameters.coercingResolved(context.parameters)
        let errors = descriptor.validate(parameters: value, phases: [context.phase], at: root).filter { $0.severity == .error }
        if !errors.isEmpty {
            let listed = errors.prefix(5).map { "\($0.path): \($0.message)" + ($0.hint.map { " (\($0))" } ?? "") }
            throw .permanent("invalid parameters after resolving references: " + listed.joined(separator: "; ")
                             + (errors.count > 5 ? "; and \(errors.count - 5) more" : ""), code: "InvalidParameter")
        }
        self.init(object: value.objectValue ?? JSONObject(), path: root)
    }

    init(object: JSONObject, path: FieldPath) {
        self.object = object
        self.path = path
    }

    func has(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    func string(_ key: String) -> String? { object[key]?.stringValue }

    /// A string or a list of strings, as a list.
    func strings(_ key: String) -> [String]? {
        switch object[key] {
        case .string(let text)?: [text]
        case .array(let items)?: items.compactMap(\.stringValue)
        default: nil
        }
    }

    func int(_ key: String) -> Int? { object[key]?.intValue }

    /// Booleans arrive as booleans: the enterprise "Yes"/"No" was coerced with the other resolved values.
    func bool(_ key: String) -> Bool? { object[key]?.boolValue }

    func stringMap(_ key: String) -> [String: String]? {
        object[key]?.objectValue.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key, $0.value.stringValue ?? "") }) }
    }

    func nested(_ key: String) -> ModuleParameters? {
        object[key]?.objectValue.map { ModuleParameters(object: $0, path: path.key(key)) }
    }

    /// The objects of a list, each with its own path (`parameters.Items[2]`).
    func items(_ key: String) -> [ModuleParameters] {
        (object[key]?.arrayValue ?? []).enumerated().compactMap { index, item in
            item.objectValue.map { ModuleParameters(object: $0, path: path.key(key).index(index)) }
        }
    }
}
