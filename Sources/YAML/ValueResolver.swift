/// Turns a node tree into its JSON value: scalars through ScalarResolver, mapping keys through
/// MappingKey, merge keys applied, duplicate keys refused. The same entry logic also serves
/// YAMLDocument.location(of:), so positions and values can never disagree.
///
/// Error paths are relative to the node being resolved and grow as the error travels up, so
/// the common, successful case never builds a path.
struct ValueResolver {
    /// One key of a mapping after merge keys are applied.
    struct Entry {
        let key: String
        let keyNode: YAMLNode
        let value: YAMLNode
    }

    let file: String?

    /// Recursion depth is bounded by NodeBuilder, which refuses trees deeper than maxDepth.
    func value(of node: YAMLNode) throws(YAMLError) -> JSONValue {
        switch node.kind {
        case .scalar(let text, let style, let tag):
            do {
                return try ScalarResolver.value(of: text, style: style, tag: tag)
            } catch {
                throw YAMLError(error.message, file: file, mark: node.mark, path: .root)
            }
        case .sequence(let items):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                do {
                    values.append(try value(of: item))
                } catch {
                    throw error.under(.index(index))
                }
            }
            return .array(values)
        case .mapping(let pairs):
            if pairs.contains(where: { Self.isMergeKey($0.key) }) {
                var object = JSONObject()
                for entry in try entries(of: pairs) {
                    object[entry.key] = try value(entry.value, under: entry.key)
                }
                return .object(object)
            }
            // No merge keys (the usual case): build the object directly.
            var object = JSONObject()
            for pair in pairs {
                let key = try keyString(pair.key)
                if object[key] != nil { throw duplicate(key, at: pair.key, in: pairs) }
                object[key] = try value(pair.value, under: key)
            }
            return .object(object)
        }
    }

    private func value(_ node: YAMLNode, under key: String) throws(YAMLError) -> JSONValue {
        do {
            return try value(of: node)
        } catch {
            throw error.under(.key(key))
        }
    }

    /// The effective entries of a mapping, in order. Merge keys follow go-yaml v2 (what kubectl
    /// uses): a `<<` entry is applied where it stands, so keys written after it override merged
    /// ones and keys written before it are overridden; within a list of maps the earlier map wins.
    func entries(of pairs: [(key: YAMLNode, value: YAMLNode)]) throws(YAMLError) -> [Entry] {
        var result: [Entry] = []
        var position: [String: Int] = [:]
        var written: Set<String> = []

        func set(_ entry: Entry) {
            if let index = position[entry.key] {
                result[index] = entry
            } else {
                position[entry.key] = result.count
                result.append(entry)
            }
        }

        for pair in pairs {
            if Self.isMergeKey(pair.key) {
                for entry in try mergedEntries(from: pair.value) { set(entry) }
                continue
            }
            let key = try keyString(pair.key)
            guard written.insert(key).inserted else { throw duplicate(key, at: pair.key, in: pairs) }
            set(Entry(key: key, keyNode: pair.key, value: pair.value))
        }
        return result
    }

    /// The entries a `<<` value contributes: one mapping, or a list of mappings where the
    /// earlier ones take precedence.
    private func mergedEntries(from node: YAMLNode) throws(YAMLError) -> [Entry] {
        let sources: [YAMLNode]
        switch node.kind {
        case .mapping: sources = [node]
        case .sequence(let items): sources = items
        case .scalar: throw mergeError(node)
        }
        var merged: [Entry] = []
        var seen: Set<String> = []
        for source in sources {
            guard case .mapping(let pairs) = source.kind else { throw mergeError(source) }
            for entry in try entries(of: pairs) where seen.insert(entry.key).inserted {
                merged.append(entry)
            }
        }
        return merged
    }

    private func keyString(_ node: YAMLNode) throws(YAMLError) -> String {
        do {
            return try MappingKey.string(for: node)
        } catch {
            throw YAMLError(error.message, file: file, mark: node.mark, path: .root)
        }
    }

    /// Names both lines; the first occurrence is looked up only now, on the error path.
    private func duplicate(_ key: String, at node: YAMLNode, in pairs: [(key: YAMLNode, value: YAMLNode)]) -> YAMLError {
        let first = pairs.first { !Self.isMergeKey($0.key) && (try? MappingKey.string(for: $0.key)) == key }?.key ?? node
        return YAMLError("duplicate key \(YAMLScalarWriter.doubleQuoted(key)) (first on line \(first.mark.line), again on line \(node.mark.line)); kubectl refuses duplicate keys",
                         file: file, mark: node.mark, path: FieldPath.root.key(key))
    }

    private func mergeError(_ node: YAMLNode) -> YAMLError {
        YAMLError("the merge key << needs a mapping or a list of mappings, found \(node.kindDescription)",
                  file: file, mark: node.mark, path: .root)
    }

    /// A plain, untagged `<<` (or one tagged `!!merge`); a quoted "<<" is an ordinary key.
    static func isMergeKey(_ node: YAMLNode) -> Bool {
        guard case .scalar("<<", let style, let tag) = node.kind else { return false }
        return tag == nil ? style == .plain : tag == "!!merge"
    }
}
