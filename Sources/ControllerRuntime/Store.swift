import Kube

/// The informer's local cache: objects by `namespace/name`, plus named indexes (client-go's
/// Indexer), e.g. "executions by plan", and the built-in `namespaceIndex`. Reads never touch the
/// API server.
public actor Store<T: KubeObject> {
    public typealias IndexFunction = @Sendable (T) -> [String]

    private var objects: [ObjectKey: T] = [:]
    private let indexers: [String: IndexFunction]
    private var indexes: [String: [String: Set<ObjectKey>]] = [:]

    public init(indexers: [String: IndexFunction] = [:]) {
        var all = indexers
        all[Self.namespaceIndex] = all[Self.namespaceIndex] ?? { [$0.metadata.namespace ?? ""] }
        self.indexers = all
        for name in all.keys { indexes[name] = [:] }
    }

    /// The built-in namespace index (client-go's `NamespaceIndex`): cluster-scoped objects are
    /// under "".
    public static var namespaceIndex: String { "namespace" }

    /// Whether an index of that name is installed (`byIndex` requires one).
    public func hasIndex(_ name: String) -> Bool { indexers[name] != nil }

    public func get(_ key: ObjectKey) -> T? { objects[key] }
    public func list() -> [T] { objects.keys.sorted().map { objects[$0]! } }
    public var count: Int { objects.count }
    public var keys: [ObjectKey] { objects.keys.sorted() }

    public func list(namespace: String) -> [T] { byIndex(Self.namespaceIndex, namespace) }

    /// Objects whose index function returned `value`.
    public func byIndex(_ name: String, _ value: String) -> [T] {
        precondition(indexers[name] != nil, "no index named \(name)")
        return (indexes[name]?[value] ?? []).sorted().compactMap { objects[$0] }
    }

    /// Inserts or replaces; returns the previous version.
    @discardableResult
    public func apply(_ object: T) -> T? {
        let key = object.key
        let old = objects.updateValue(object, forKey: key)
        if let old { unindex(old, key) }
        index(object, key)
        return old
    }

    @discardableResult
    public func delete(_ key: ObjectKey) -> T? {
        guard let old = objects.removeValue(forKey: key) else { return nil }
        unindex(old, key)
        return old
    }

    /// Replaces the whole content after a LIST and says what changed, so a relist delivers each
    /// real change once: new or changed objects (by resourceVersion, with the version they
    /// replaced) and vanished ones. Keys in `keeping` are listed but were not decodable: their
    /// cached version (if any) stays rather than looking deleted.
    public func replace(_ items: [T], keeping: Set<ObjectKey> = []) -> (applied: [(T, previous: T?)], deleted: [T]) {
        var applied: [(T, previous: T?)] = []
        var seen = keeping
        for item in items {
            seen.insert(item.key)
            let old = apply(item)
            if old == nil || old?.metadata.resourceVersion != item.metadata.resourceVersion { applied.append((item, old)) }
        }
        let gone = objects.keys.filter { !seen.contains($0) }.sorted()
        return (applied, gone.compactMap { delete($0) })
    }

    private func index(_ object: T, _ key: ObjectKey) {
        for (name, function) in indexers {
            for value in function(object) { indexes[name, default: [:]][value, default: []].insert(key) }
        }
    }

    private func unindex(_ object: T, _ key: ObjectKey) {
        for (name, function) in indexers {
            for value in function(object) {
                indexes[name]?[value]?.remove(key)
                if indexes[name]?[value]?.isEmpty == true { indexes[name]?[value] = nil }
            }
        }
    }
}
