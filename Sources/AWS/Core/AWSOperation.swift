import HTTP
import YAML

/// One call as the wire protocol encodes it, before signing: made by the protocol-specific
/// factories below, so service code never builds headers or bodies by hand.
public struct AWSOperation: Sendable {
    public var name: String
    public var method: HTTPMethod
    /// The path, percent-encoded as on the wire (use `AWSOperation.path(_:)` for labels).
    public var path: String
    public var query: [(String, String)]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// False for the few calls made without credentials (sts:AssumeRoleWithWebIdentity).
    public var isSigned: Bool

    public init(name: String, method: HTTPMethod, path: String = "/", query: [(String, String)] = [], headers: HTTPHeaders = [:],
                body: [UInt8] = [], isSigned: Bool = true) {
        self.name = name
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.isSigned = isSigned
    }

    /// query and ec2 protocols: `Action=…&Version=…&…` as a form POST.
    public static func query(_ action: String, version: String, _ parameters: [(String, String)]) -> AWSOperation {
        let body = AWSURIEncoding.formBody([("Action", action), ("Version", version)] + parameters)
        return AWSOperation(name: action, method: .post, headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                            body: Array(body.utf8))
    }

    /// json 1.0/1.1: POST "/" with X-Amz-Target.
    public static func json(_ operation: String, version: String, targetPrefix: String, _ input: JSONValue) -> AWSOperation {
        AWSOperation(name: operation, method: .post,
                     headers: ["Content-Type": "application/x-amz-json-\(version)", "X-Amz-Target": "\(targetPrefix).\(operation)"],
                     body: JSONWriter.bytes(input, pretty: false))
    }

    /// rest-json: a JSON body when there is one.
    public static func restJSON(_ operation: String, _ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                                body: JSONValue? = nil) -> AWSOperation {
        var headers: HTTPHeaders = [:]
        var bytes: [UInt8] = []
        if let body {
            headers["Content-Type"] = "application/json"
            bytes = JSONWriter.bytes(body, pretty: false)
        }
        return AWSOperation(name: operation, method: method, path: path, query: query, headers: headers, body: bytes)
    }

    /// rest-xml: an XML body when there is one.
    public static func restXML(_ operation: String, _ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                               body: XMLWriter? = nil) -> AWSOperation {
        AWSOperation(name: operation, method: method, path: path, query: query,
                     headers: body == nil ? [:] : ["Content-Type": "application/xml"], body: body?.bytes ?? [])
    }

    /// A REST path from literal parts and labels: labels are percent-encoded (a "/" in a label
    /// becomes %2F), as botocore serialises `{Label}` members.
    public static func path(_ parts: PathPart...) -> String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .label(let text): AWSURIEncoding.encode(text)
            }
        }.joined()
    }

    public enum PathPart: Sendable, ExpressibleByStringLiteral {
        case literal(String)
        case label(String)
        public init(stringLiteral value: String) { self = .literal(value) }
    }
}
