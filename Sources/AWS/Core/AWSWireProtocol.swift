/// How a service encodes requests and responses (botocore's `metadata.protocol`).
public enum AWSWireProtocol: Sendable, Hashable {
    /// Form-encoded `Action=…&Version=…` POST, XML responses (STS, IAM, RDS, CloudFormation, …).
    case query(version: String)
    /// The query protocol's EC2 dialect: same requests, different error shape and list names.
    case ec2(version: String)
    /// JSON POST to "/" with `X-Amz-Target: <targetPrefix>.<Operation>` (SSM, ECS, EventBridge, …).
    case json(version: String, targetPrefix: String)
    /// REST with JSON bodies (Lambda, OpenSearch, DRS).
    case restJSON
    /// REST with XML bodies (Route 53).
    case restXML
}
