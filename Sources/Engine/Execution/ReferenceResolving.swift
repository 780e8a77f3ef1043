import LifeboatAPI
import YAML

/// Resolves parameter references (`resolve:ssm:…`, `!Import …`) in a resource's parameters,
/// in the target account and acting region. The AWS layer implements it; the engine only
/// knows the contract.
public protocol ReferenceResolving: Sendable {
    func resolve(_ parameters: JSONValue, accountId: String, roleName: String, region: String) async throws(ModuleError) -> JSONValue

    /// Secret values resolved so far (SSM SecureStrings). The executor removes them from
    /// everything a module reports, so a module that echoes a parameter cannot leak one into
    /// status, Events or logs.
    func sensitiveValues() async -> Set<String>
}

extension ReferenceResolving {
    public func sensitiveValues() async -> Set<String> { [] }
}

/// For runs without AWS access (tests, simulations): parameters pass through unchanged, and a
/// reference is refused by name rather than handed to a module unresolved.
public struct UnresolvedReferencesRefused: ReferenceResolving {
    public init() {}

    public func resolve(_ parameters: JSONValue, accountId: String, roleName: String, region: String) async throws(ModuleError) -> JSONValue {
        if let reference = Self.firstReference(in: parameters) {
            throw .permanent("parameter reference \(reference) cannot be resolved here: this run has no AWS reference resolver",
                             code: "ReferenceUnresolved")
        }
        return parameters
    }

    static func firstReference(in value: JSONValue) -> String? {
        switch value {
        case .string(let text): (ParameterReference.parse(text) != nil) ? text : nil
        case .array(let items): items.lazy.compactMap(firstReference).first
        case .object(let object): object.lazy.compactMap { firstReference(in: $0.value) }.first
        default: nil
        }
    }
}
