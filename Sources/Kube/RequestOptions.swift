import YAML

/// `?labelSelector=…&limit=…&continue=…` for LIST.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var `continue`: String?
    /// "" (or nil) = most recent (quorum read); "0" = any (watch cache); X = not older than X.
    public var resourceVersion: String?
    public var resourceVersionMatch: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continue token: String? = nil, resourceVersion: String? = nil, resourceVersionMatch: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continue = token
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }

    var query: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector { items.append(("fieldSelector", fieldSelector)) }
        if let limit { items.append(("limit", String(limit))) }
        if let token = self.continue, !token.isEmpty { items.append(("continue", token)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(("resourceVersionMatch", resourceVersionMatch)) }
        return items
    }
}

/// `?watch=1&resourceVersion=R&allowWatchBookmarks=true&timeoutSeconds=N`.
public struct WatchOptions: Sendable, Hashable {
    public var resourceVersion: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    public var allowBookmarks = true
    public var timeoutSeconds: Int?

    public init(resourceVersion: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
                allowBookmarks: Bool = true, timeoutSeconds: Int? = nil) {
        self.resourceVersion = resourceVersion
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.allowBookmarks = allowBookmarks
        self.timeoutSeconds = timeoutSeconds
    }

    var query: [(String, String)] {
        var items: [(String, String)] = [("watch", "1")]
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let labelSelector { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector { items.append(("fieldSelector", fieldSelector)) }
        if allowBookmarks { items.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

/// Options for writes: `dryRun=All` validates and returns the result without storing it.
public struct WriteOptions: Sendable, Hashable {
    public var dryRun = false
    public var fieldManager: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
    }

    var query: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager { items.append(("fieldManager", fieldManager)) }
        return items
    }
}

/// The DeleteOptions body: preconditions guard against deleting a replaced or changed object.
public struct DeleteOptions: Codable, Sendable, Hashable {
    public enum Propagation: String, Codable, Sendable { case orphan = "Orphan", background = "Background", foreground = "Foreground" }
    public struct Preconditions: Codable, Sendable, Hashable {
        public var uid: String?
        public var resourceVersion: String?
        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    public var kind = "DeleteOptions"
    public var apiVersion = "v1"
    public var propagationPolicy: Propagation?
    public var preconditions: Preconditions?
    public var gracePeriodSeconds: Int?
    public var dryRun: [String]?

    public init(propagationPolicy: Propagation? = nil, preconditions: Preconditions? = nil,
                gracePeriodSeconds: Int? = nil, dryRun: Bool = false) {
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun ? ["All"] : nil
    }
}

/// The three patch kinds a custom resource accepts (strategic merge is built-ins only: 415).
public enum Patch: Sendable, Hashable {
    /// RFC 7386: objects merge, `null` deletes, arrays are replaced.
    case merge(JSONValue)
    /// RFC 6902, in order, all or nothing; `test` makes it conditional.
    case json([JSONPatchOperation])
    /// Server-side apply: the fields this manager owns. Needs `fieldManager`; `force` takes
    /// fields other managers own instead of failing with 409.
    case apply(JSONValue, fieldManager: String, force: Bool = false)

    var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }

    var body: JSONValue {
        switch self {
        case .merge(let value), .apply(let value, _, _): value
        case .json(let operations): .array(operations.map(\.jsonValue))
        }
    }

    var query: [(String, String)] {
        guard case .apply(_, let manager, let force) = self else { return [] }
        return [("fieldManager", manager)] + (force ? [("force", "true")] : [])
    }
}

/// One RFC 6902 operation.
public struct JSONPatchOperation: Sendable, Hashable {
    public var op: String
    public var path: String
    public var value: JSONValue?
    public var from: String?

    public static func test(_ path: String, _ value: JSONValue) -> Self { Self(op: "test", path: path, value: value) }
    public static func add(_ path: String, _ value: JSONValue) -> Self { Self(op: "add", path: path, value: value) }
    public static func replace(_ path: String, _ value: JSONValue) -> Self { Self(op: "replace", path: path, value: value) }
    public static func remove(_ path: String) -> Self { Self(op: "remove", path: path) }

    var jsonValue: JSONValue {
        var object: JSONObject = ["op": .string(op), "path": .string(path)]
        if let value { object["value"] = value }
        if let from { object["from"] = .string(from) }
        return .object(object)
    }
}
