import YAML

extension ParameterSchema {
    /// The value with every absent field that has a catalog default filled in, in objects and in
    /// the objects of lists: a module's typed parameters then read the default the catalog
    /// documents, never one of their own.
    public func fillingDefaults(_ value: JSONValue) -> JSONValue {
        switch (self, value) {
        case (.object(let schema), .object(var object)):
            for field in schema.fields {
                if let present = object[field.name], !present.isNull {
                    object[field.name] = field.schema.fillingDefaults(present)
                } else if let fallback = field.defaultValue {
                    object[field.name] = fallback
                }
            }
            return .object(object)
        case (.list(let item, _), .array(let items)):
            return .array(items.map(item.fillingDefaults))
        default:
            return value
        }
    }
}
