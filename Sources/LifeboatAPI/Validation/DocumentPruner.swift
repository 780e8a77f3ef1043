import YAML

/// Removes (or, where it can, repairs) the parts of a document that the Swift types could not
/// decode, so the rest can still be checked semantically: every problem is reported in one run, not one layer of
/// problems per edit.
///
/// A bad value goes with its nearest removable ancestor: an optional field, or an element of a
/// list (a resource with a bad field drops out of the semantic pass as a whole). Array indices
/// shift when elements go, so the pruner also maps paths in the pruned document back to the
/// original one, for messages that point at what the person wrote.
struct DocumentPruner {
    let schema: StructuralSchema

    struct Result {
        /// nil when the document root itself would have to go (nothing left to check).
        var value: JSONValue?
        /// Original indices kept, per original array path.
        var keptIndices: [FieldPath: [Int]]

        func originalPath(of prunedPath: FieldPath) -> FieldPath {
            var original = FieldPath.root
            for component in prunedPath.components {
                switch component {
                case .key(let key): original = original / key
                case .index(let i):
                    let kept = keptIndices[original]
                    original = original / ((kept?.indices.contains(i) ?? false) ? kept![i] : i)
                }
            }
            return original
        }
    }

    /// `blockers` come from `StructuralValidator.Report.decodingBlockers`: a value with a
    /// replacement is swapped for it, one without is removed with its nearest removable ancestor.
    func prune(_ value: JSONValue, blockers: [FieldPath: JSONValue?]) -> Result {
        var targets: Set<FieldPath> = []
        var replacements: [FieldPath: JSONValue] = [:]
        for (path, replacement) in blockers {
            if let replacement {
                replacements[path] = replacement
                continue
            }
            guard let target = removableAncestor(of: path, in: value) else {
                return Result(value: nil, keptIndices: [:])
            }
            targets.insert(target)
        }
        var kept: [FieldPath: [Int]] = [:]
        let pruned = rebuild(value, at: .root, removing: targets, replacing: replacements, kept: &kept)
        return Result(value: pruned, keptIndices: kept)
    }

    /// The deepest path at or above `path` whose removal leaves the parent structurally valid.
    private func removableAncestor(of path: FieldPath, in value: JSONValue) -> FieldPath? {
        var candidate = path
        while let last = candidate.last {
            let parent = candidate.parent
            switch last {
            case .index:
                return candidate
            case .key(let key):
                let parentSchema = schema.schema(at: parent)
                let isRequired = parentSchema?.required.contains(key) ?? false
                if !isRequired, exists(candidate, in: value) { return candidate }
            }
            candidate = parent
        }
        return nil
    }

    private func exists(_ path: FieldPath, in value: JSONValue) -> Bool {
        var current: JSONValue? = value
        for component in path.components {
            switch component {
            case .key(let key): current = current?[key]
            case .index(let i): current = current?[i]
            }
        }
        return current != nil
    }

    private func rebuild(_ value: JSONValue, at path: FieldPath, removing targets: Set<FieldPath>,
                         replacing replacements: [FieldPath: JSONValue], kept: inout [FieldPath: [Int]]) -> JSONValue {
        if let replacement = replacements[path] { return replacement }
        switch value {
        case .object(let object):
            var result = JSONObject()
            for (key, child) in object where !targets.contains(path / key) {
                result[key] = rebuild(child, at: path / key, removing: targets, replacing: replacements, kept: &kept)
            }
            return .object(result)
        case .array(let elements):
            var result: [JSONValue] = []
            var indices: [Int] = []
            for (index, child) in elements.enumerated() where !targets.contains(path / index) {
                result.append(rebuild(child, at: path / index, removing: targets, replacing: replacements, kept: &kept))
                indices.append(index)
            }
            if indices.count != elements.count { kept[path] = indices }
            return .array(result)
        default:
            return value
        }
    }
}
