import YAML

extension SSM {
    /// ssm:PutParameter, overwriting: what modules keep for a later phase (MemoryDB's saved
    /// configuration and endpoint). `value` may be sensitive: never logged here.
    public func putParameter(_ name: String, value: String, type: String = "String") async throws {
        _ = try await client.json(.ssm, "PutParameter", ["Name": .string(name), "Value": .string(value), "Type": .string(type),
                                                         "Overwrite": true])
    }

    /// ssm:GetParameter, or nil when the parameter does not exist.
    public func parameterIfPresent(_ name: String) async throws -> Parameter? {
        do { return try await getParameter(name) } catch let error as AWSError where error.code == "ParameterNotFound" { return nil }
    }
}
