import HTTP
import YAML

/// A successful response, decoded on demand in the service's format.
public struct AWSResponse: Sendable {
    public var service: String
    public var operation: String
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public var requestID: String? {
        headers["x-amzn-RequestId"] ?? headers["x-amz-request-id"] ?? headers["x-amz-id-2"]
    }

    /// The body as JSON (`.null` when empty).
    public func json() throws(AWSError) -> JSONValue {
        guard !body.isEmpty else { return .null }
        do { return try JSONParser.parse(body) } catch {
            throw malformed("the response is not JSON: \(error)")
        }
    }

    /// The body as XML.
    public func xml() throws(AWSError) -> XMLElement {
        do { return try XMLDocumentParser.parse(body) } catch {
            throw malformed("\(error)")
        }
    }

    /// The query protocol's `<XResponse><XResult>` element (the response itself in EC2).
    public func queryResult() throws(AWSError) -> XMLElement {
        let root = try xml()
        return root["\(operation)Result"] ?? root
    }

    public func malformed(_ message: String) -> AWSError {
        AWSError(kind: .malformedResponse, service: service, operation: operation, code: "MalformedResponse",
                 message: message, requestID: requestID, httpStatus: status)
    }
}
