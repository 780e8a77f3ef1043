/// Everything `EnterpriseConverter` needs, already read and parsed by the caller (the library
/// does no I/O): the plan's identity and regions, which the enterprise manifests never held
/// (the region was wherever a person started the run), and the manifests of each phase.
public struct EnterpriseConversionInput: Sendable {
    public var planName: String
    public var namespace: String?
    public var primaryRegion: String
    public var secondaryRegion: String
    /// The account for resources whose manifests name none; see docs/convert.md for when the
    /// plan's `spec.accounts.default` is set.
    public var defaultAccount: String?
    /// `spec.description`; when nil, "Converted from the enterprise manifests of <product>".
    public var description: String?
    /// For the default description; `planName` when nil.
    public var productName: String?
    /// For each phase (each at most once), the sequence of steps; each step is the application
    /// manifests that run in parallel (an app_layer's files, or a single application manifest).
    public var phases: [(phase: Phase, steps: [[EnterpriseApplicationManifest]])]

    public init(planName: String, namespace: String? = nil, primaryRegion: String, secondaryRegion: String,
                defaultAccount: String? = nil, description: String? = nil, productName: String? = nil,
                phases: [(phase: Phase, steps: [[EnterpriseApplicationManifest]])]) {
        self.planName = planName
        self.namespace = namespace
        self.primaryRegion = primaryRegion
        self.secondaryRegion = secondaryRegion
        self.defaultAccount = defaultAccount
        self.description = description
        self.productName = productName
        self.phases = phases
    }
}
