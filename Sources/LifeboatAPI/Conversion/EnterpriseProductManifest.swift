import YAML

/// One enterprise product manifest (one per phase; seed-systems.md §C):
///
///     {"action": "ACTIVATE", "product_name": "p",
///      "product": [{"app_layer": 1, "apps": [{"name": "app1", "service_order_files": ["mf/p-app1-ACTIVATE.json"]}]}]}
///
/// `app_layer` entries run one after another in list order; the apps of an app_layer, and
/// each app's files, run in parallel. The file keys are S3 keys; the CLI maps them to files.
public struct EnterpriseProductManifest: Sendable {
    public var phase: Phase
    public var productName: String
    /// Per app_layer, in list order: the application manifest keys of all its apps, in order.
    public var applicationFiles: [[String]]
    /// What reading noticed (phase taken from the file name, ignored keys).
    public var warnings: [ConversionWarning]

    public init(phase: Phase, productName: String, applicationFiles: [[String]], warnings: [ConversionWarning] = []) {
        self.phase = phase
        self.productName = productName
        self.applicationFiles = applicationFiles
        self.warnings = warnings
    }

    public init(parsing value: JSONValue, source: String) throws(ConversionError) {
        guard case .object(let object) = value else {
            throw ConversionError(source: source, "a product manifest is an object, got \(value.typeName)",
                                  hint: "write {\"action\": \"ACTIVATE\", \"product_name\": \"p\", \"product\": [ … ]}")
        }
        var warnings: [ConversionWarning] = []
        var reader = EnterpriseFieldReader(object, at: .root, source: source)
        let phase = try Self.phase(&reader, source: source, warnings: &warnings)
        guard case (let nameKey, let nameValue)? = reader.take("product_name", warnings: &warnings) else {
            throw ConversionError(source: source, path: "product_name", "the product manifest names no product",
                                  hint: "add \"product_name\"")
        }
        guard case .string(let name) = nameValue, !name.conversionTrimmed().isEmpty else {
            throw ConversionError(source: source, path: FieldPath.root.key(nameKey), "product_name is a non-empty string, got \(nameValue.typeName)")
        }
        guard case (let productKey, let productValue)? = reader.take("product", warnings: &warnings) else {
            throw ConversionError(source: source, path: "product", "the product manifest lists no app layers",
                                  hint: "add \"product\": [{\"app_layer\": 1, \"apps\": [ … ]}]")
        }
        guard case .array(let appLayers) = productValue else {
            throw ConversionError(source: source, path: FieldPath.root.key(productKey), "product is a list of app layers, got \(productValue.typeName)")
        }
        reader.warnAboutIgnoredKeys(&warnings, known: ["action", "product_name", "product"])
        var files: [[String]] = []
        for (index, appLayer) in appLayers.enumerated() {
            files.append(try Self.appLayerFiles(appLayer, at: FieldPath.root.key(productKey).index(index),
                                                source: source, warnings: &warnings))
        }
        self.init(phase: phase, productName: name.conversionTrimmed(), applicationFiles: files, warnings: warnings)
    }

    /// `action`; when absent, the phase in the file name (the enterprise naming rule makes it
    /// `product-manifest-<Product>-<ACTION>.json`).
    private static func phase(_ reader: inout EnterpriseFieldReader, source: String,
                              warnings: inout [ConversionWarning]) throws(ConversionError) -> Phase {
        let allowed = Phase.allCases.map(\.enterpriseName).joined(separator: ", ")
        guard let (key, value) = reader.take("action", warnings: &warnings) else {
            if let phase = Phase.enterprisePhase(fromFileName: source) {
                warnings.append(ConversionWarning(source: source, path: nil,
                                                  "the product manifest has no action; using \(phase.enterpriseName) from the file name"))
                return phase
            }
            throw ConversionError(source: source, path: "action", "the product manifest has no action", hint: "add \"action\": one of \(allowed)")
        }
        guard case .string(let text) = value, let phase = Phase(enterpriseName: text) else {
            throw ConversionError(source: source, path: FieldPath.root.key(key),
                                  "unknown action \(value.stringValue.map { "\"\($0.prefix(80))\"" } ?? value.typeName)",
                                  hint: "use one of \(allowed)")
        }
        if let named = Phase.enterprisePhase(fromFileName: source), named != phase {
            warnings.append(ConversionWarning(source: source, path: FieldPath.root.key(key),
                "the action is \(phase.enterpriseName) but the file name says \(named.enterpriseName); using \(phase.enterpriseName)"))
        }
        return phase
    }

    private static func appLayerFiles(_ value: JSONValue, at path: FieldPath, source: String,
                                      warnings: inout [ConversionWarning]) throws(ConversionError) -> [String] {
        guard case .object(let object) = value else {
            throw ConversionError(source: source, path: path, "an app layer is an object, got \(value.typeName)",
                                  hint: "write {\"app_layer\": 1, \"apps\": [ … ]}")
        }
        var reader = EnterpriseFieldReader(object, at: path, source: source)
        _ = reader.take("app_layer", warnings: &warnings)
        guard case (let appsKey, let appsValue)? = reader.take("apps", warnings: &warnings) else {
            throw ConversionError(source: source, path: path.key("apps"), "the app layer lists no apps",
                                  hint: "add \"apps\": [{\"name\": \"app1\", \"service_order_files\": [ … ]}]")
        }
        guard case .array(let apps) = appsValue else {
            throw ConversionError(source: source, path: path.key(appsKey), "apps is a list, got \(appsValue.typeName)")
        }
        reader.warnAboutIgnoredKeys(&warnings, known: ["app_layer", "apps"])
        var files: [String] = []
        for (index, app) in apps.enumerated() {
            files += try appFiles(app, at: path.key(appsKey).index(index), source: source, warnings: &warnings)
        }
        return files
    }

    private static func appFiles(_ value: JSONValue, at path: FieldPath, source: String,
                                 warnings: inout [ConversionWarning]) throws(ConversionError) -> [String] {
        guard case .object(let object) = value else {
            throw ConversionError(source: source, path: path, "an app is an object, got \(value.typeName)",
                                  hint: "write {\"name\": \"app1\", \"service_order_files\": [ … ]}")
        }
        var reader = EnterpriseFieldReader(object, at: path, source: source)
        _ = reader.take("name", warnings: &warnings)
        guard case (let key, let filesValue)? = reader.take("service_order_files", warnings: &warnings) else {
            throw ConversionError(source: source, path: path.key("service_order_files"), "the app lists no service_order_files",
                                  hint: "add \"service_order_files\": [\"mf/<product>-<app>-<ACTION>.json\"]")
        }
        reader.warnAboutIgnoredKeys(&warnings, known: ["name", "service_order_files"])
        let filesPath = path.key(key)
        // One key written without the list is unambiguous; accept it.
        let items: [JSONValue] = if case .array(let list) = filesValue { list } else { [filesValue] }
        var files: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let file) = item, !file.conversionTrimmed().isEmpty else {
                let itemPath = filesValue.arrayValue == nil ? filesPath : filesPath.index(index)
                throw ConversionError(source: source, path: itemPath, "a service order file is an S3 key (a string), got \(item.typeName)")
            }
            files.append(file.conversionTrimmed())
        }
        return files
    }
}
