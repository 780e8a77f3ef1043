import HTTP
import YAML

/// Reads an error response of any of the five protocols into `AWSError`. It tries the
/// protocol's own shape first and then the others, because a front end (a load balancer, an
/// emulator's auth layer) may answer a JSON service in XML or in HTML.
enum AWSErrorParser {
    static func parse(_ response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        var error = AWSError(service: service.signingName, operation: operation, code: "", message: "",
                             requestID: response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"],
                             httpStatus: response.status)
        if let typeHeader = response.headers["x-amzn-ErrorType"] { error.code = sanitize(typeHeader) }
        let first = response.body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "{") {
            fillFromJSON(response.body, into: &error)
        } else if first == UInt8(ascii: "<") {
            fillFromXML(response.body, into: &error)
        }
        if error.code.isEmpty {
            error.code = fallbackCode(response.status)
            if error.message.isEmpty {
                error.message = "HTTP \(response.status) without an AWS error body"
                    + (response.status == 500 ? " (an emulator answers unimplemented operations this way)" : "")
            }
        }
        return error
    }

    private static func fillFromJSON(_ body: [UInt8], into error: inout AWSError) {
        guard let value = try? JSONParser.parse(body) else { return }
        if error.code.isEmpty, let code = value["__type"]?.stringValue ?? value["code"]?.stringValue ?? value["Code"]?.stringValue {
            error.code = sanitize(code)
        }
        error.message = value["message"]?.stringValue ?? value["Message"]?.stringValue ?? value["errorMessage"]?.stringValue ?? ""
    }

    private static func fillFromXML(_ body: [UInt8], into error: inout AWSError) {
        guard let root = try? XMLDocumentParser.parse(body) else { return }
        // query / rest-xml: <ErrorResponse><Error>…</Error><RequestId/>; ec2: <Response><Errors><Error>…; bare <Error>.
        let element = root.name == "Error" ? root : (root["Error"] ?? root["Errors", "Error"] ?? root.first(named: "Error"))
        if let element {
            if error.code.isEmpty { error.code = element.string("Code") ?? "" }
            error.message = element.string("Message") ?? ""
        }
        error.requestID = error.requestID ?? root.string("RequestId") ?? root.string("RequestID") ?? root.first(named: "RequestId")?.trimmedText
    }

    /// `com.amazon.coral.service#ThrottlingException` and `ParameterNotFound:http://internal.amazon.com/…`
    /// both mean the part a person reads.
    static func sanitize(_ code: String) -> String {
        var text = Substring(code)
        if let colon = text.firstIndex(of: ":") { text = text[..<colon] }
        if let hash = text.lastIndex(of: "#") { text = text[text.index(after: hash)...] }
        return String(text).trimmingCharacters()
    }

    private static func fallbackCode(_ status: Int) -> String {
        switch status {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "AccessDenied"
        case 404: "NotFound"
        case 429: "TooManyRequestsException"
        case 500: "InternalFailure"
        case 502: "BadGateway"
        case 503: "ServiceUnavailable"
        case 504: "GatewayTimeout"
        default: "HTTP\(status)"
        }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
