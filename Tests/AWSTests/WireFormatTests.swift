import Testing
@testable import AWS
import HTTP
import YAML

/// JSON and XML reading, timestamps and error shapes: pure functions, no server.
@Suite struct WireFormatTests {
    @Test func jsonParsesEveryKind() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\udedf", "big": 123456789012345678901, "o": {}} "#)
        #expect(value["a"] == [1, -2500.0, true, false, nil])
        #expect(value["s"]?.stringValue == "x\"\\/\né🛟")
        #expect(value["big"]?.numberValue == 123456789012345678901.0)
        #expect(value["o"] == .object([:]))
        #expect(try JSONParser.parse("[]") == [])
    }

    @Test func jsonRejectsBadInputWithAnOffset() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\u{01}\"", "01x", "[1] 2", "\"\\q\""] {
            #expect(throws: JSONParser.Failure.self, "\(bad)") { try JSONParser.parse(bad) }
        }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let failure = #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
        #expect(failure?.message.contains("deeper") == true)
    }

    @Test func xmlTreeWithNamespacesAndCDATA() throws {
        let xml = """
            <?xml version="1.0"?>
            <ListExportsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <ListExportsResult><Exports><member><Name>a</Name><Value><![CDATA[x<y]]></Value></member>
              <member><Name>b &amp; c</Name><Value>2</Value></member></Exports></ListExportsResult>
            </ListExportsResponse>
            """
        let root = try XMLDocumentParser.parse(Array(xml.utf8))
        let members = try #require(root["ListExportsResult", "Exports"]?.members)
        #expect(members.map { $0.string("Name") } == ["a", "b & c"])
        #expect(members[0].string("Value") == "x<y")
        #expect(throws: XMLDocumentParser.Failure.self) { try XMLDocumentParser.parse(Array("<a><b></a>".utf8)) }
        #expect(throws: XMLDocumentParser.Failure.self) { try XMLDocumentParser.parse(Array("<html>oops".utf8)) }
    }

    @Test func xmlEntitiesAreNotExpanded() throws {
        let hostile = #"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>"#
        let root = try? XMLDocumentParser.parse(Array(hostile.utf8))
        #expect(root?.text.contains("root:") != true)
    }

    @Test func xmlWriterEscapes() {
        var writer = XMLWriter()
        writer.element("R", namespace: "urn:x") { $0.element("Name", "a<b & \"c\"") }
        #expect(writer.output.hasSuffix(#"<R xmlns="urn:x"><Name>a&lt;b &amp; &quot;c&quot;</Name></R>"#))
    }

    @Test func timestamps() {
        #expect(AWSTimestamp.amzDate(1_440_938_160) == "20150830T123600Z")
        #expect(AWSTimestamp.iso8601(1_440_938_160) == "2015-08-30T12:36:00Z")
        #expect(AWSTimestamp.parseISO8601("2015-08-30T12:36:00Z") == 1_440_938_160)
        #expect(AWSTimestamp.parseISO8601("2015-08-30T12:36:00.500Z") == 1_440_938_160.5)
        #expect(AWSTimestamp.parseISO8601("2015-08-30T14:36:00+02:00") == 1_440_938_160)
        #expect(AWSTimestamp.parseISO8601("1969-12-31T23:59:59Z") == -1)
        #expect(AWSTimestamp.parseISO8601("2015-13-30T12:36:00Z") == nil)
        #expect(AWSTimestamp.parseISO8601("yesterday") == nil)
    }

    @Test func errorShapesOfEveryProtocol() {
        func parse(_ status: Int, _ body: String, _ headers: HTTPHeaders = [:], _ service: AWSService = .sts) -> AWSError {
            AWSErrorParser.parse(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)), service: service, operation: "Op")
        }
        let query = parse(400, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>")
        #expect(query.code == "Throttling" && query.message == "Rate exceeded" && query.requestID == "r1" && query.isThrottling)
        let ec2 = parse(400, "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>bad</Message></Error></Errors><RequestID>r2</RequestID></Response>", [:], .ec2)
        #expect(ec2.code == "InvalidParameterValue" && ec2.requestID == "r2" && !ec2.isRetryable)
        let json = parse(400, #"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"not found"}"#, ["x-amzn-RequestId": "r3"], .ssm)
        #expect(json.code == "ParameterNotFound" && json.message == "not found" && json.requestID == "r3")
        let rest = parse(404, #"{"Type":"User","Message":"Function not found"}"#, ["X-Amzn-ErrorType": "ResourceNotFoundException:http://internal/"], .lambda)
        #expect(rest.code == "ResourceNotFoundException" && rest.message == "Function not found")
        let html = parse(500, "<!DOCTYPE html><html><body>Internal Server Error</body></html>", [:], .drs)
        #expect(html.code == "InternalFailure" && html.isRetryable && html.message.contains("HTTP 500"))
        let empty = parse(403, "", [:], .route53)
        #expect(empty.code == "AccessDenied" && !empty.isRetryable)
        #expect("\(json)" == "ssm:Op failed: ParameterNotFound: not found (HTTP 400, request id r3)")
    }
}
