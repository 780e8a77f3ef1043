import AWS
import LifeboatAPI
import YAML

/// Checks what a run of a plan needs from AWS, without changing anything: the base identity
/// (sts:GetCallerIdentity), that the plan's role can be assumed in every account it names
/// (with the external id), and that every parameter reference resolves in its account and the
/// acting region. The engine of `drctl doctor`.
public struct PlanAccessChecker: Sendable {
    public let base: AWSClient
    public let externalID: String?
    /// Where references are resolved: the acting region of the run being prepared for.
    public let region: String
    public let executionName: String

    public init(base: AWSClient, externalID: String?, region: String, executionName: String = "doctor") {
        self.base = base
        self.externalID = externalID
        self.region = region
        self.executionName = executionName
    }

    /// Only the base identity (no plan given).
    public func checkIdentity() async -> [AccessCheck] { await identity().check.map { [$0] } ?? [] }

    private func identity() async -> (caller: STS.CallerIdentity?, check: AccessCheck?) {
        do {
            let caller = try await STS(base).getCallerIdentity()
            return (caller, AccessCheck(kind: .identity, subject: "base credentials", passed: true,
                                        detail: "\(caller.arn) (\(try await base.credentials.credentials().source))"))
        } catch {
            return (nil, AccessCheck(kind: .identity, subject: "base credentials", passed: false, detail: Self.summary(error),
                hint: (error as? AWSError)?.hint ?? "give Lifeboat AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, IRSA or Pod Identity) and check AWS_REGION"))
        }
    }

    public func check(_ plan: DRPlan) async -> [AccessCheck] {
        let (identity, identityCheck) = await identity()
        var results = identityCheck.map { [$0] } ?? []

        let roleName = plan.spec.accounts.roleName
        let accounts = CrossAccountCredentials(base: base, roleName: roleName, externalID: externalID, executionName: executionName)
        var usable: [String: Bool] = [:]
        for account in Self.accounts(of: plan) {
            let subject = "account \(account) role \(roleName)"
            guard identity != nil else {
                usable[account] = false
                results.append(AccessCheck(kind: .assumeRole, subject: subject, passed: false, detail: "not tried: no base identity",
                                           hint: "fix the base credentials first"))
                continue
            }
            do {
                let credentials = try await accounts.provider(account: account).credentials()
                usable[account] = true
                let actual = credentials.accountID.map { $0 == account ? "" : " but credentials act as account \($0)" } ?? ""
                results.append(AccessCheck(kind: .assumeRole, subject: subject, passed: actual.isEmpty,
                                           detail: "assumed \(accounts.roleARN(account: account)) as \(accounts.sessionName)\(actual)"
                                               + (externalID == nil ? "" : " with the external id")))
            } catch {
                usable[account] = false
                results.append(AccessCheck(kind: .assumeRole, subject: subject, passed: false, detail: Self.summary(error),
                    hint: "let \(identity?.arn ?? "the base identity") assume \(accounts.roleARN(account: account)) in its trust policy"
                        + (externalID == nil ? "; if the trust policy requires an external id, pass --external-id or LIFEBOAT_EXTERNAL_ID"
                                             : " with this external id")))
            }
        }

        let resolver = ParameterResolver(accounts: accounts)
        for resource in plan.spec.allResources {
            guard let parameters = resource.parameters else { continue }
            let account = resource.accountId ?? plan.spec.accounts.default ?? ""
            for (path, reference) in Self.references(in: parameters, at: FieldPath.root.key("parameters")) {
                let subject = "\(resource.name) \(path) \(reference)"
                guard usable[account] == true else {
                    results.append(AccessCheck(kind: .reference, subject: subject, passed: false,
                                               detail: "not tried: the role in account \(account.isEmpty ? "(none)" : account) could not be assumed",
                                               hint: "fix the assume-role check of that account first"))
                    continue
                }
                do {
                    _ = try await resolver.resolve(reference, account: account, region: region, at: path)
                    results.append(AccessCheck(kind: .reference, subject: subject, passed: true,
                                               detail: "resolves in account \(account), \(region)"))
                } catch {
                    results.append(AccessCheck(kind: .reference, subject: subject, passed: false,
                                               detail: "\(error.code): \(error.message.isEmpty ? "lookup failed" : error.message)",
                                               hint: error.hint))
                }
            }
        }
        return results
    }

    /// The accounts the plan acts in, in order of first use.
    static func accounts(of plan: DRPlan) -> [String] {
        var seen: [String] = []
        for resource in plan.spec.allResources {
            guard let account = resource.accountId ?? plan.spec.accounts.default, !seen.contains(account) else { continue }
            seen.append(account)
        }
        return seen
    }

    /// Every well-formed reference in `value`, with its path.
    static func references(in value: JSONValue, at path: FieldPath) -> [(FieldPath, ParameterReference)] {
        switch value {
        case .string(let text):
            if case .success(let reference)? = ParameterReference.parse(text) { return [(path, reference)] }
            return []
        case .array(let items): return items.enumerated().flatMap { references(in: $1, at: path.index($0)) }
        case .object(let object): return object.flatMap { references(in: $0.value, at: path.key($0.key)) }
        case .null, .bool, .int, .double: return []
        }
    }

    static func summary(_ error: any Error) -> String {
        switch error {
        case let error as AWSError: "\(error.code): \(error.message)"
        case let error as CredentialError: error.description
        default: "\(error)"
        }
    }
}
