import YAML

/// RFC 7386 merge patches computed from two versions of a value (Flux's status patcher idea):
/// only what changed is sent, so fields another writer set meanwhile are left alone.
enum JSONMergePatch {
    /// The patch that turns `old` into `new`, or nil when they are equal. Objects recurse; a key
    /// gone from `new` becomes `null` (delete); anything else (arrays included, as RFC 7386 says)
    /// is replaced whole.
    static func diff(from old: JSONValue, to new: JSONValue) -> JSONValue? {
        if old == new { return nil }
        guard case .object(let before) = old, case .object(let after) = new else { return new }
        var patch = JSONObject()
        for (key, value) in after {
            if let previous = before[key] {
                if let change = diff(from: previous, to: value) { patch[key] = change }
            } else {
                patch[key] = value
            }
        }
        for (key, _) in before where after[key] == nil { patch[key] = .null }
        return patch.isEmpty ? nil : .object(patch)
    }
}
