/// Names for converted resources. Enterprise names were free text; Lifeboat names are DNS
/// labels (they appear in gate ids, Events and idempotency tags), unique in the plan.
enum EnterpriseResourceNaming {
    static let maxLength = 63

    /// Lower case; every run of other characters becomes one '-'; no '-' at either end; at most
    /// 63 characters. Empty when nothing usable is left.
    static func dnsLabel(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
            if out.count > maxLength { break }
        }
        return trimmedToFit(out, maxLength)
    }

    /// `base-suffix`, shortening `base` so the whole stays a DNS label.
    static func label(_ base: String, suffix: String) -> String {
        let room = max(1, maxLength - suffix.count - 1)
        return trimmedToFit(base, room) + "-" + suffix
    }

    private static func trimmedToFit(_ text: String, _ length: Int) -> String {
        var result = String(text.prefix(length))
        while result.last == "-" { result.removeLast() }
        return result
    }

    /// Gives each resource a name no earlier resource has, adding `-2`, `-3`, … when needed.
    struct UniqueNames {
        private var taken: Set<String> = []

        mutating func claim(_ name: String) -> String {
            var candidate = name
            var counter = 2
            while taken.contains(candidate) {
                candidate = EnterpriseResourceNaming.label(name, suffix: String(counter))
                counter += 1
            }
            taken.insert(candidate)
            return candidate
        }
    }
}
