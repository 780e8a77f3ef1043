/// Bounds on what one parse may cost. YAML can describe far more data than it spells out
/// (aliases multiply, nesting recurses), and Lifeboat reads manifests from users and from the
/// cluster, so every parse is bounded up front instead of trusting the input.
public struct YAMLLimits: Sendable, Hashable {
    /// Total nodes that expanding aliases may produce, summed over a document. A "billion laughs"
    /// document stays tiny on disk but expands exponentially; this refuses it while still counting,
    /// before anything is materialised.
    public var maxAliasExpansion: Int
    /// Deepest nesting of sequences and mappings, counting nesting reached through aliases. Keeps
    /// the recursive decoders far from the stack limit.
    public var maxDepth: Int
    /// Largest input accepted, in UTF-8 bytes, for the whole stream.
    public var maxDocumentBytes: Int

    public init(maxAliasExpansion: Int = 100_000, maxDepth: Int = 256, maxDocumentBytes: Int = 32 << 20) {
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDepth = maxDepth
        self.maxDocumentBytes = maxDocumentBytes
    }

    public static let `default` = YAMLLimits()
}
