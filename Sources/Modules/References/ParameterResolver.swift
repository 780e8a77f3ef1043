import AWS
import LifeboatAPI
import YAML

/// Resolves parameter references (MODULES.md) in the target account and acting region:
/// `resolve:ssm:<name>[:<version>]` (and `{{resolve:ssm:…}}`) with ssm:GetParameter
/// WithDecryption, `!Import <ExportName>` with cloudformation:ListExports (all pages, fetched
/// once per account and region). One resolver lives for one execution and caches everything
/// it looked up, including lookups in flight, so parallel resources share one call.
public actor ParameterResolver {
    public typealias ClientFactory = @Sendable (_ account: String, _ region: String) async -> AWSClient

    struct Scope: Hashable {
        var account: String
        var region: String
    }

    private let client: ClientFactory
    /// An SSM value and whether it is a secret (a SecureString).
    struct Looked: Sendable {
        var value: String
        var isSecret: Bool
    }

    private var parameters: [Scope: [ParameterReference: Task<Looked, any Error>]] = [:]
    private var exports: [Scope: Task<[String: String], any Error>] = [:]
    /// Values of SecureString parameters resolved so far: whatever a module reports is scrubbed
    /// of them before it reaches status, Events or logs.
    public private(set) var secureValues: Set<String> = []

    public init(client: @escaping ClientFactory) { self.client = client }

    /// Resolves through a plan's cross-account roles.
    public init(accounts: CrossAccountCredentials) {
        self.init { account, region in await accounts.client(account: account, region: region) }
    }

    /// `value` with every reference replaced by what it names, through lists and objects.
    public func resolve(_ value: JSONValue, account: String, region: String, at path: FieldPath = .root)
        async throws(ReferenceResolutionError) -> JSONValue {
        switch value {
        case .string(let text):
            guard let parsed = ParameterReference.parse(text) else { return value }
            switch parsed {
            case .success(let reference): return .string(try await resolve(reference, account: account, region: region, at: path))
            case .failure(let syntax):
                throw ReferenceResolutionError(reference: text, path: path, account: account, region: region, code: "MalformedReference",
                                               message: syntax.message, hint: syntax.hint)
            }
        case .array(let items):
            var resolved: [JSONValue] = []
            for (index, item) in items.enumerated() {
                resolved.append(try await resolve(item, account: account, region: region, at: path.index(index)))
            }
            return .array(resolved)
        case .object(let object):
            var resolved = JSONObject()
            for (key, item) in object { resolved[key] = try await resolve(item, account: account, region: region, at: path.key(key)) }
            return .object(resolved)
        case .null, .bool, .int, .double:
            return value
        }
    }

    /// The value of one reference.
    public func resolve(_ reference: ParameterReference, account: String, region: String, at path: FieldPath = .root)
        async throws(ReferenceResolutionError) -> String {
        let scope = Scope(account: account, region: region)
        do {
            switch reference {
            case .ssm(let name, let version):
                let task = parameters[scope]?[reference] ?? Task { [client] in
                    let parameter = try await SSM(client(account, region)).getParameter(name, version: version)
                    return Looked(value: parameter.value, isSecret: parameter.type == "SecureString")
                }
                parameters[scope, default: [:]][reference] = task
                let looked = try await task.value
                if looked.isSecret, !looked.value.isEmpty { secureValues.insert(looked.value) }
                return looked.value
            case .cloudFormationExport(let name):
                let task = exports[scope] ?? Task { [client] in try await CloudFormation(client(account, region)).listExports() }
                exports[scope] = task
                guard let value = try await task.value[name] else {
                    throw ReferenceResolutionError(reference: reference.description, path: path, account: account, region: region,
                        code: "ExportNotFound", message: "no CloudFormation export named \(name)",
                        hint: "deploy the stack that exports \(name) in account \(account), \(region), or fix the name")
                }
                return value
            }
        } catch let error as ReferenceResolutionError {
            throw error
        } catch {
            forget(reference, in: scope)
            throw Self.failure(reference, error, path: path, account: account, region: region)
        }
    }

    /// A failed lookup is not cached: the next execution step may retry after a fix.
    private func forget(_ reference: ParameterReference, in scope: Scope) {
        if case .cloudFormationExport = reference { exports[scope] = nil } else { parameters[scope]?[reference] = nil }
    }

    static func failure(_ reference: ParameterReference, _ error: any Error, path: FieldPath, account: String, region: String)
        -> ReferenceResolutionError {
        var result = ReferenceResolutionError(reference: reference.description, path: path, account: account, region: region,
                                              code: "Failed", message: "\(error)")
        if let error = error as? AWSError {
            result.code = error.code
            result.message = error.message
            result.hint = error.hint
            result.isRetryable = error.isRetryable
            switch (reference, error.code) {
            case (.ssm(let name, _), "ParameterNotFound"), (.ssm(let name, _), "ParameterVersionNotFound"):
                result.hint = "create \(name) in SSM Parameter Store of account \(account) in \(region) "
                    + "(aws ssm put-parameter --name \(name) …), or fix the reference"
            case (_, "AccessDenied"), (_, "AccessDeniedException"):
                result.hint = "allow the Lifeboat role in account \(account) to call "
                    + (error.service == "ssm" ? "ssm:GetParameter (and kms:Decrypt for SecureString)" : "cloudformation:ListExports")
            default: break
            }
        } else if let error = error as? CredentialError {
            result.code = "CredentialsUnavailable"
            result.message = error.description
        }
        return result
    }
}
