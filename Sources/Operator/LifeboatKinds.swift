import Kube
import LifeboatAPI

/// Where the operator's kinds live on the API server. `Kube.Resource`, spelled out, because
/// LifeboatAPI has a `Resource` of its own (a resource of a plan).
public enum LifeboatKinds {
    public static let plans = Kube.Resource(group: LifeboatGroup.name, version: LifeboatGroup.version, plural: "drplans",
                                            kind: DRPlan.kind)
    public static let executions = Kube.Resource(group: LifeboatGroup.name, version: LifeboatGroup.version,
                                                 plural: "drexecutions", kind: DRExecution.kind)
    public static let secrets = Kube.Resource(group: "", version: "v1", plural: "secrets", kind: "Secret")
}

/// A core/v1 Secret, as far as the operator reads one: the external id of a plan's role.
/// Its values never leave `ExternalIDSource`.
struct Secret: KubeObject {
    var metadata: ObjectMeta
    /// Base64, as the API serves it.
    var data: [String: String]?
}
