/// Follows `NextToken`-style pagination to the end. A token that repeats (a service bug or an
/// emulator quirk) ends the walk with an error instead of looping forever.
public enum AWSPagination {
    public static func collect<Item>(
        service: String, operation: String, maxPages: Int = 10_000,
        _ fetch: (_ token: String?) async throws -> (items: [Item], next: String?)
    ) async throws -> [Item] {
        var items: [Item] = []
        var token: String?
        var seen: Set<String> = []
        for _ in 0..<maxPages {
            let page = try await fetch(token)
            items += page.items
            guard let next = page.next, !next.isEmpty else { return items }
            guard seen.insert(next).inserted else {
                throw AWSError(kind: .malformedResponse, service: service, operation: operation, code: "PaginationLoop",
                               message: "the service returned the same page token twice")
            }
            token = next
        }
        throw AWSError(kind: .malformedResponse, service: service, operation: operation, code: "TooManyPages",
                       message: "more than \(maxPages) pages")
    }
}
