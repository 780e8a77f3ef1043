/// Caches another provider's credentials and refreshes them `refreshMargin` seconds before they
/// expire. Concurrent callers share one refresh: the first starts it, the rest await the same
/// task. If a refresh fails while the cached credentials are still valid, those are returned.
public actor CachingCredentialProvider: CredentialProvider {
    public nonisolated let name: String
    let source: any CredentialProvider
    let refreshMargin: Double
    let clock: @Sendable () -> AWSTimestamp.Seconds
    private var cached: AWSCredentials?
    private var refresh: Task<AWSCredentials, any Error>?
    /// How many times the source was asked (for tests and metrics).
    public private(set) var fetchCount = 0

    public init(_ source: any CredentialProvider, refreshMargin: Double = 300,
                clock: @escaping @Sendable () -> AWSTimestamp.Seconds = AWSTimestamp.now) {
        self.name = source.name
        self.source = source
        self.refreshMargin = refreshMargin
        self.clock = clock
    }

    public func credentials() async throws -> AWSCredentials {
        let now = clock()
        if let cached, !cached.expires(within: refreshMargin, now: now) { return cached }
        let task: Task<AWSCredentials, any Error>
        if let refresh {
            task = refresh
        } else {
            fetchCount += 1
            let source = self.source
            task = Task { try await source.credentials() }
            refresh = task
        }
        do {
            let fresh = try await task.value
            if refresh == task { refresh = nil; cached = fresh }
            return fresh
        } catch {
            if refresh == task { refresh = nil }
            if let cached, !cached.expires(within: 0, now: clock()) { return cached }
            throw error
        }
    }

    /// Forgets the cached credentials (after an ExpiredToken answer, say).
    public func invalidate() { cached = nil }
}
