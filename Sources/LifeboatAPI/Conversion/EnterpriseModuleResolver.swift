import YAML

/// Maps an enterprise `action` (the module's class name) to a Lifeboat module. The names are the
/// same, so an exact match is the rule; a case difference or a small typo is mapped with a
/// warning, because the enterprise code failed late (at run time) on such names and the person
/// converting most likely meant the obvious module.
enum EnterpriseModuleResolver {
    /// Longer text is not a typo of a module name; skip the edit-distance work on junk input.
    private static let maxFuzzyLength = 64

    static func resolve(_ text: String, source: String, path: FieldPath,
                        warnings: inout [ConversionWarning]) throws(ConversionError) -> ModuleName {
        let name = text.conversionTrimmed()
        if let module = ModuleName(rawValue: name) { return module }
        let known = ModuleName.allowedValuesText
        guard !name.isEmpty else {
            throw ConversionError(source: source, path: path, "the module name is empty", hint: "use one of \(known)")
        }
        if name.count <= maxFuzzyLength, let guess = EditDistance.closest(to: name, in: ModuleName.allowedValues),
           let module = ModuleName(rawValue: guess) {
            warnings.append(ConversionWarning(source: source, path: path,
                                              "module \"\(name)\" is not a module name; read as \(module.rawValue)"))
            return module
        }
        throw ConversionError(source: source, path: path, "unknown module \"\(name.prefix(80))\"",
                              hint: "use one of \(known)")
    }
}
