import LifeboatAPI
import YAML

/// Which plan a state directory belongs to (plan-identity.json). A state directory's runs and
/// plan state (the phase-order guard's history) are facts about one plan; a plan that is not
/// that one must not inherit them.
///
/// Two levels of "different", decided here once:
/// - **another plan**: another namespace or name, or another uid when both manifests carry one
///   (`kubectl get -o yaml` output does). Never the same plan: refused outright;
/// - **the same plan changed**: other regions, accounts (default account, role) or resources
///   (a resource added or removed, or its module or account changed). What a run acts on
///   changed, so it is refused unless the person says it is on purpose (`--accept-plan-change`).
/// Everything else — parameters, timeouts, layer order and grouping, gates, descriptions — is a
/// harmless edit of the same plan.
public struct PlanIdentity: Sendable, Equatable {
    public struct Resource: Sendable, Equatable {
        public var module: String
        public var account: String
    }

    public var namespace: String
    public var name: String
    public var uid: String?
    public var primaryRegion: String
    public var secondaryRegion: String
    public var defaultAccount: String?
    public var roleName: String
    public var resources: [String: Resource]

    /// The namespace of a plan that names none (as kubectl would place it).
    public static let defaultNamespace = "default"

    public init(plan: DRPlan) {
        namespace = plan.metadata.namespace ?? Self.defaultNamespace
        name = plan.metadata.name ?? ""
        uid = plan.metadata.uid
        primaryRegion = plan.spec.regions.primary
        secondaryRegion = plan.spec.regions.secondary
        defaultAccount = plan.spec.accounts.default
        roleName = plan.spec.accounts.roleName
        resources = Dictionary(plan.spec.allResources.map {
            ($0.name, Resource(module: $0.module.rawValue, account: $0.accountId ?? plan.spec.accounts.default ?? ""))
        }, uniquingKeysWith: { first, _ in first })
    }

    /// `namespace/name`, as people and kubectl name a plan.
    public var qualifiedName: String { "\(namespace)/\(name)" }

    /// Why `self` (the plan given) is another plan than `recorded` — empty when it is the same one.
    public func otherPlan(than recorded: PlanIdentity) -> [String] {
        var found: [String] = []
        if namespace != recorded.namespace { found.append("the namespace differs: \(recorded.namespace), \(namespace)") }
        if name != recorded.name { found.append("the name differs: \(recorded.name), \(name)") }
        if let uid, let old = recorded.uid, uid != old { found.append("the uid differs: \(old), \(uid)") }
        return found
    }

    /// What changed in what a run acts on, `self` being the plan given — empty for a harmless edit.
    public func changes(since recorded: PlanIdentity) -> [String] {
        var found: [String] = []
        if primaryRegion != recorded.primaryRegion || secondaryRegion != recorded.secondaryRegion {
            found.append("regions \(primaryRegion)/\(secondaryRegion) (here \(recorded.primaryRegion)/\(recorded.secondaryRegion))")
        }
        if defaultAccount != recorded.defaultAccount {
            found.append("default account \(defaultAccount ?? "none") (here \(recorded.defaultAccount ?? "none"))")
        }
        if roleName != recorded.roleName { found.append("role \(roleName) (here \(recorded.roleName))") }
        let added = resources.keys.filter { recorded.resources[$0] == nil }.sorted()
        let removed = recorded.resources.keys.filter { resources[$0] == nil }.sorted()
        if !added.isEmpty { found.append("resources added: \(added.joined(separator: ", "))") }
        if !removed.isEmpty { found.append("resources removed: \(removed.joined(separator: ", "))") }
        for name in resources.keys.sorted() {
            guard let now = resources[name], let before = recorded.resources[name], now != before else { continue }
            found.append("resource \(name) is \(now.module) in account \(now.account) (here \(before.module) in account \(before.account))")
        }
        return found
    }

    // MARK: plan-identity.json

    public var json: JSONValue {
        var accounts: JSONObject = ["roleName": .string(roleName)]
        if let defaultAccount { accounts["default"] = .string(defaultAccount) }
        var object: JSONObject = [
            "namespace": .string(namespace), "name": .string(name),
            "regions": ["primary": .string(primaryRegion), "secondary": .string(secondaryRegion)],
            "accounts": .object(accounts),
            "resources": .array(resources.keys.sorted().map { name in
                ["name": .string(name), "module": .string(resources[name]!.module), "account": .string(resources[name]!.account)]
            }),
        ]
        if let uid { object["uid"] = .string(uid) }
        return .object(object)
    }

    public init?(json value: JSONValue) {
        guard let namespace = value["namespace"]?.stringValue, let name = value["name"]?.stringValue,
              let primary = value["regions"]?["primary"]?.stringValue, let secondary = value["regions"]?["secondary"]?.stringValue,
              let roleName = value["accounts"]?["roleName"]?.stringValue, let list = value["resources"]?.arrayValue else { return nil }
        var resources: [String: Resource] = [:]
        for item in list {
            guard let name = item["name"]?.stringValue, let module = item["module"]?.stringValue,
                  let account = item["account"]?.stringValue else { return nil }
            resources[name] = Resource(module: module, account: account)
        }
        self.namespace = namespace
        self.name = name
        self.uid = value["uid"]?.stringValue
        self.primaryRegion = primary
        self.secondaryRegion = secondary
        self.defaultAccount = value["accounts"]?["default"]?.stringValue
        self.roleName = roleName
        self.resources = resources
    }
}
