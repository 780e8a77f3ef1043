import Engine
import LifeboatAPI
import YAML

extension ModuleParameters {
    /// The resource's parameters as the module's typed value (`EventBridgeParameters`, …): checked
    /// against the catalog's schema for the running phase, coerced as the schema says (a resolved
    /// "3" is an integer), with the catalog's defaults filled in, then decoded with the keys the
    /// catalog defines. A parameter is renamed or added in the catalog's definition alone.
    static func decode<Value: Decodable>(_ type: Value.Type, _ context: ModuleContext, _ descriptor: ModuleDescriptor) throws(ModuleError) -> Value {
        let checked = try ModuleParameters(context, descriptor)
        let filled = descriptor.parameters.fillingDefaults(.object(checked.object))
        do {
            return try YAMLDecoder().decode(Value.self, from: filled)
        } catch {
            // Validation passed, so this is a catalog and type that disagree: a bug, named as one.
            throw .permanent("the \(descriptor.name.rawValue) parameters passed validation but cannot be read as \(Value.self): \(error.message)",
                             code: "InvalidParameter")
        }
    }
}
