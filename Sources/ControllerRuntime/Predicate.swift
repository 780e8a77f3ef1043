import Kube

/// Which informer events are worth a reconcile (controller-runtime's predicates). A status-only
/// update — our own status patch above all — bumps neither the generation nor the annotations,
/// so `generationChanged.or(.annotationsChanged)` lets a controller ignore its own writes while
/// still hearing annotation commands (which never bump the generation: never filter on
/// generation alone, operators.md §0.3). Deletions and first sightings always pass.
public struct Predicate<T: KubeObject>: Sendable {
    let accepts: @Sendable (InformerEvent<T>) -> Bool

    public init(_ accepts: @escaping @Sendable (InformerEvent<T>) -> Bool) { self.accepts = accepts }

    public func callAsFunction(_ event: InformerEvent<T>) -> Bool { accepts(event) }

    public static var always: Predicate { Predicate { _ in true } }

    /// `metadata.generation` moved: a spec change, or the start of a deletion.
    public static var generationChanged: Predicate { changed { $0.metadata.generation } }

    public static var annotationsChanged: Predicate { changed { $0.metadata.annotations } }

    public static var labelsChanged: Predicate { changed { $0.metadata.labels } }

    /// Finalizers or the deletion timestamp moved (some kinds do not bump the generation on
    /// deletion).
    public static var deletionChanged: Predicate {
        changed { [$0.metadata.deletionTimestamp?.description ?? ""] + ($0.metadata.finalizers ?? []) }
    }

    /// Passes an update when `value` differs between the cached and the new version.
    public static func changed<V: Equatable & Sendable>(_ value: @escaping @Sendable (T) -> V) -> Predicate {
        Predicate { event in
            guard case .applied(let object, let previous?) = event else { return true }
            return value(object) != value(previous)
        }
    }

    public func or(_ other: Predicate) -> Predicate { Predicate { self($0) || other($0) } }
    public func and(_ other: Predicate) -> Predicate { Predicate { self($0) && other($0) } }
}
