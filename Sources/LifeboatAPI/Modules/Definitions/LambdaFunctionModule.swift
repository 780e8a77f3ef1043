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
            .required("FunctionName", .string(StringRule(maxLength: 140, format: .lambdaFunctionName)),
                      notes: "name, name:qualifier, or function ARN"),
            .optional("Payload", .any, notes: "the event, any JSON value; a string is sent as is"),
        ]))
}
