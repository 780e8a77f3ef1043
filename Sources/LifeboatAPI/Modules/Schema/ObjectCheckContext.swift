import YAML

/// What a custom object rule sees. The literal accessors return nil for absent keys, for
/// references (unknown until run time) and for wrongly typed values (already reported), so a
/// rule only ever reasons about values it can actually know.
public struct ObjectCheckContext: Sendable {
    public let object: JSONObject
    public let path: FieldPath
    public let phases: [Phase]

    public init(object: JSONObject, path: FieldPath, phases: [Phase]) {
        self.object = object
        self.path = path
        self.phases = phases
    }

    public func path(_ key: String) -> FieldPath { path.key(key) }

    /// Present with a non-null value (a reference counts as present).
    public func has(_ key: String) -> Bool {
        if let value = object[key], value != .null { true } else { false }
    }

    public func string(_ key: String) -> String? { object[key]?.literalString }
    public func int(_ key: String) -> Int? { object[key]?.literalInt }

    /// A boolean, also reading the enterprise "Yes"/"No" spelling.
    public func bool(_ key: String) -> Bool? {
        switch object[key] {
        case .bool(let b)?: b
        case .string("Yes")?: true
        case .string("No")?: false
        default: nil
        }
    }

    /// A string-or-list value as its literal strings; nil when it holds a reference anywhere.
    public func strings(_ key: String) -> [String]? {
        switch object[key] {
        case .string?: string(key).map { [$0] }
        case .array(let items)?:
            items.allSatisfy { $0.literalString != nil } ? items.compactMap(\.literalString) : nil
        default: nil
        }
    }

    public func nestedObject(_ key: String) -> JSONObject? { object[key]?.objectValue }

    public func runs(_ phase: Phase) -> Bool { phases.contains(phase) }
}
