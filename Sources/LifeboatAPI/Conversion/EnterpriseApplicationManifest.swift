import YAML

/// One enterprise application manifest (one per app per phase; seed-systems.md §C):
///
///     [{"layer": 1, "resources": [{"action": "EcsService", "resourceName": "api",
///       "AccountId": "123456789012", "parameters": [{"EcsClusterName": "c", …}]}]}, …]
///
/// Reading checks the structure and resolves module names, so a broken file is reported by
/// name before anything is converted. Parameters and accounts stay as written: what they
/// become depends on the module and on the other manifests (`EnterpriseConverter`).
public struct EnterpriseApplicationManifest: Sendable {
    /// Layers run one after another in list order (not by their `layer` number).
    public struct Layer: Sendable {
        public let path: FieldPath
        /// The manifest's own `layer` number, when it wrote one; informational only.
        public let number: Int?
        /// Run in parallel.
        public let resources: [Resource]
    }

    public struct Resource: Sendable {
        /// Where the resource is in the manifest (`[0].resources[1]`).
        public let path: FieldPath
        public let module: ModuleName
        /// As written (trimmed); nil when absent or empty.
        public let resourceName: String?
        /// The resource-level `AccountId`, as written (a string, or a number that lost its zeros).
        public let accountId: JSONValue?
        /// As written: an object, a list of objects, or nil.
        public let parameters: JSONValue?
    }

    /// The file name, used in every message about this manifest.
    public let source: String
    public let layers: [Layer]
    /// What reading noticed (older spellings, ignored keys); the converter passes them on.
    public let warnings: [ConversionWarning]

    private static let resourceKeys = ["action", "resourceName", "AccountId", "parameters"]

    public init(parsing value: JSONValue, source: String) throws(ConversionError) {
        self.source = source
        var warnings: [ConversionWarning] = []
        guard case .array(let items) = value else {
            let hint = value["resources"] != nil
                ? "wrap the layer in a list: [{\"layer\": 1, \"resources\": [ … ]}]"
                : "write a list of layers: [{\"layer\": 1, \"resources\": [ … ]}]"
            throw ConversionError(source: source, "an application manifest is a list of layers, got \(value.typeName)", hint: hint)
        }
        var layers: [Layer] = []
        for (index, item) in items.enumerated() {
            layers.append(try Self.layer(item, at: FieldPath.root.index(index), source: source, warnings: &warnings))
        }
        let numbers = layers.compactMap(\.number)
        if zip(numbers, numbers.dropFirst()).contains(where: { $0 >= $1 }) {
            warnings.append(ConversionWarning(source: source, path: nil,
                "layer numbers \(numbers.map(String.init).joined(separator: ", ")) are not in ascending order; the enterprise ran layers in list order, and so does the converted plan"))
        }
        self.layers = layers
        self.warnings = warnings
    }

    private static func layer(_ value: JSONValue, at path: FieldPath, source: String,
                              warnings: inout [ConversionWarning]) throws(ConversionError) -> Layer {
        guard case .object(let object) = value else {
            throw ConversionError(source: source, path: path, "a layer is an object, got \(value.typeName)",
                                  hint: "write {\"layer\": 1, \"resources\": [ … ]}")
        }
        var reader = EnterpriseFieldReader(object, at: path, source: source)
        let number: Int? = switch reader.take("layer", warnings: &warnings)?.value {
        case .int(let n)?: n
        case .string(let text)?: Int(text.conversionTrimmed())
        default: nil
        }
        guard let (resourcesKey, resourcesValue) = reader.take("resources", warnings: &warnings) else {
            throw ConversionError(source: source, path: path.key("resources"), "the layer has no resources",
                                  hint: "list the layer's resources under \"resources\", or remove the layer")
        }
        let resourcesPath = path.key(resourcesKey)
        guard case .array(let items) = resourcesValue else {
            throw ConversionError(source: source, path: resourcesPath, "resources is a list, got \(resourcesValue.typeName)")
        }
        reader.warnAboutIgnoredKeys(&warnings, known: ["layer", "resources"])
        if items.isEmpty {
            warnings.append(ConversionWarning(source: source, path: resourcesPath, "the layer has no resources; it is left out"))
        }
        var resources: [Resource] = []
        for (index, item) in items.enumerated() {
            resources.append(try resource(item, at: resourcesPath.index(index), source: source, warnings: &warnings))
        }
        return Layer(path: path, number: number, resources: resources)
    }

    private static func resource(_ value: JSONValue, at path: FieldPath, source: String,
                                 warnings: inout [ConversionWarning]) throws(ConversionError) -> Resource {
        guard case .object(let object) = value else {
            throw ConversionError(source: source, path: path, "a resource is an object, got \(value.typeName)",
                                  hint: "write {\"action\": \"EcsService\", \"resourceName\": \"api\", \"parameters\": { … }}")
        }
        var reader = EnterpriseFieldReader(object, at: path, source: source)
        let module = try moduleName(&reader, at: path, source: source, warnings: &warnings)
        var name: String?
        switch reader.take("resourceName", warnings: &warnings) {
        case nil: name = nil
        case (_, .string(let text))?: name = text.conversionTrimmed()
        case (_, .int(let number))?: name = String(number)
        case (let key, let other)?:
            throw ConversionError(source: source, path: path.key(key), "resourceName is a string, got \(other.typeName)")
        }
        if name?.isEmpty == true { name = nil }
        let account = reader.take("AccountId", warnings: &warnings)?.value
        let parameters = reader.take("parameters", warnings: &warnings)?.value
        reader.warnAboutIgnoredKeys(&warnings, known: resourceKeys)
        return Resource(path: path, module: module, resourceName: name, accountId: account, parameters: parameters)
    }

    /// `action`, or `resourceType` in the older README's manifests.
    private static func moduleName(_ reader: inout EnterpriseFieldReader, at path: FieldPath, source: String,
                                   warnings: inout [ConversionWarning]) throws(ConversionError) -> ModuleName {
        let action = reader.take("action", warnings: &warnings)
        let older = reader.take("resourceType", warnings: &warnings)
        guard let (key, value) = action ?? older else {
            throw ConversionError(source: source, path: path.key("action"), "the resource names no module",
                                  hint: "add \"action\": one of \(ModuleName.allowedValuesText)")
        }
        guard case .string(let text) = value else {
            throw ConversionError(source: source, path: path.key(key), "\(key) is a module name (a string), got \(value.typeName)")
        }
        if let action, let older {
            guard older.value == action.value else {
                throw ConversionError(source: source, path: path.key(older.key),
                                      "action \(action.value.stringValue.map { "\"\($0)\"" } ?? "") and resourceType disagree",
                                      hint: "keep only action")
            }
        } else if older != nil {
            warnings.append(ConversionWarning(source: source, path: path.key(key),
                                              "\"resourceType\" is the older spelling of \"action\"; read as the module name"))
        }
        return try EnterpriseModuleResolver.resolve(text, source: source, path: path.key(key), warnings: &warnings)
    }
}
