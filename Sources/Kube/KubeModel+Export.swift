// One object model for every kind (issue 12): whoever imports Kube sees ObjectMeta, KubeObject,
// Condition and Timestamp as if they were declared here.
@_exported import KubeModel
