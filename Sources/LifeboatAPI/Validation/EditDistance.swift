/// "Did you mean …?" for misspelt field names, enum values and module names.
public enum EditDistance {
    /// The candidate a person most likely meant: same letters ignoring case, or at most two
    /// edits away (one for short words, so `id` does not suggest `ip`).
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let lower = word.lowercased()
        if let same = candidates.first(where: { $0.lowercased() == lower }) { return same }
        // Nothing that long is a typo of a field name; skip the quadratic work on junk input.
        guard word.count <= 128 else { return nil }
        let limit = word.count <= 4 ? 1 : 2
        return candidates
            .map { ($0, distance(lower, $0.lowercased())) }
            .filter { $0.1 <= limit }
            .min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
