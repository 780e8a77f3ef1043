// The API's vocabulary comes from the shared object model (ObjectMeta, Condition, APIEnum) and
// the time formats (Timestamp, GoDuration): whoever imports LifeboatAPI gets them, as if they
// were declared here, and they are the very types the Kubernetes client and runtime use.
@_exported import KubeModel
@_exported import TimeFormats
