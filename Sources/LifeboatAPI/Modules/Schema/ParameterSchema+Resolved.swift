import YAML

extension ParameterSchema {
    /// `value` after its references were resolved, with strings turned into the type the schema
    /// wants where they spell one: SSM parameters and CloudFormation exports are always strings,
    /// so `DesiredCount: resolve:ssm:/app/size` arrives as `"3"`, and an SSM StringList arrives as
    /// `"a,b"` where a list is expected. Anything else is left for validation to report.
    public func coercingResolved(_ value: JSONValue) -> JSONValue {
        switch (self, value) {
        case (.integer, .string(let text)):
            return Int(text.trimmingWhitespace()).map(JSONValue.int) ?? value
        case (.boolean(let acceptsYesNo), .string(let text)):
            // The enterprise manifests' exact "Yes"/"No" (which validation accepts) become booleans too,
            // so modules read one type.
            if acceptsYesNo, text == "Yes" || text == "No" { return .bool(text == "Yes") }
            switch text.trimmingWhitespace().lowercased() {
            case "true": return true
            case "false": return false
            default: return value
            }
        case (.list(let item, _), .string(let text)):
            return .array(text.split(separator: ",", omittingEmptySubsequences: false).map {
                item.coercingResolved(.string(String($0).trimmingWhitespace()))
            })
        case (.list(let item, _), .array(let items)):
            return .array(items.map(item.coercingResolved))
        case (.object(let schema), .object(let object)):
            var result = JSONObject()
            for (key, member) in object {
                result[key] = schema.field(named: key).map { $0.schema.coercingResolved(member) } ?? member
            }
            return .object(result)
        default:
            return value
        }
    }
}
