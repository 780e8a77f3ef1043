/// "Did you mean X?" for unknown keys: a case-insensitive match (`Autoscalinggroupnames`) or an
/// edit distance of at most 2 (`Aias`). Anything further away is more likely a different key
/// than a typo, and a wrong guess is worse than a list of the known keys.
enum KeySuggestion {
    static func bestMatch(for key: String, among candidates: [String]) -> String? {
        let lowered = key.lowercased()
        if let exact = candidates.first(where: { $0.lowercased() == lowered }) { return exact }
        // Long keys cannot be within distance 2 of short names; skip the quadratic work on junk input.
        guard key.count <= 128 else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = levenshtein(Array(lowered), Array(candidate.lowercased()))
            if distance <= 2, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    static func levenshtein(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
