import YAML

/// Invokes a function in any phase (MODULES.md). Unlike the enterprise module, a FunctionError
/// fails the resource.
enum LambdaFunctionModule {
    static let descriptor = ModuleDescriptor(
        name: .lambdaFunction,
        summary: "Invoke a Lambda function (RequestResponse); a function error fails the resource",
        supportedPhases: Phase.allCases,
        defaultTimeout: .minutes(15),
        drillDefault: .validate,
        parameters: ObjectSchema([
            .required(LambdaFunctionParameters.Key.functionName.rawValue, .string(StringRule(maxLength: 140, format: .lambdaFunctionName)),
                      notes: "name, name:qualifier, or function ARN"),
            .optional(LambdaFunctionParameters.Key.payload.rawValue, .any, notes: "the event, any JSON value; a string is sent as is"),
        ]))
}

/// LambdaFunction's parameters as the module reads them; the keys are spelled once, here.
public struct LambdaFunctionParameters: Decodable, Sendable, Hashable {
    public enum Key: String, CodingKey {
        case functionName = "FunctionName"
        case payload = "Payload"
    }
    public var functionName: String
    /// The event; nil sends no body (the function gets `{}`).
    public var payload: JSONValue?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        functionName = try container.decode(String.self, forKey: .functionName)
        payload = try container.decodeIfPresent(JSONValue.self, forKey: .payload).flatMap { $0.isNull ? nil : $0 }
    }
}
