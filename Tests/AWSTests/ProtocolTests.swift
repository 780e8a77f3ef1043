import Foundation
import Testing
@testable import AWS
import YAML

/// One real call per wire protocol against moto, and an error response of each.
@Suite struct ProtocolTests {
    @Test func queryProtocolCallAndError() async throws {
        let client = Moto.client(try Moto.shared())
        let identity = try await STS(client).getCallerIdentity()
        #expect(identity.account == "123456789012")
        #expect(identity.arn.hasPrefix("arn:aws:"))

        let missing = Moto.unique("missing-stack")
        let error = try await #require(throws: AWSError.self) {
            try await client.query(.cloudFormation, "DescribeStacks", [("StackName", missing)])
        }
        #expect(error.code == "ValidationError")
        #expect(error.message.contains(missing))
        #expect(error.httpStatus == 400)
        #expect(!error.isRetryable)
        #expect(error.requestID != nil)
    }

    @Test func ec2ProtocolCallAndError() async throws {
        let client = Moto.client(try Moto.shared(), region: "us-west-2")
        let response = try await client.query(.ec2, "DescribeInstances", [("Filter.1.Name", "tag:lifeboat-test"),
                                                                          ("Filter.1.Value.1", Moto.unique("none"))])
        let root = try response.xml()
        #expect(root.name == "DescribeInstancesResponse")
        #expect(root["reservationSet"]?.members.isEmpty == true)

        let error = try await #require(throws: AWSError.self) {
            try await client.query(.ec2, "DescribeInstances", [("InstanceId.1", "i-0123456789abcdef0")])
        }
        #expect(error.code == "InvalidInstanceID.NotFound")
        #expect(error.service == "ec2" && error.operation == "DescribeInstances")
        #expect(!error.isRetryable)
    }

    @Test func jsonProtocolCallAndError() async throws {
        let client = Moto.client(try Moto.shared())
        let name = "/lifeboat/test/" + Moto.unique("param")
        _ = try await client.json(.ssm, "PutParameter", ["Name": .string(name), "Value": "v1", "Type": "String"])
        let parameter = try await SSM(client).getParameter(name)
        #expect(parameter.value == "v1" && parameter.version == 1)

        let error = try await #require(throws: AWSError.self) { try await SSM(client).getParameter(name + "-missing") }
        #expect(error.code == "ParameterNotFound")
        #expect(error.httpStatus == 400)
        #expect(!error.isRetryable)
    }

    @Test func restJSONCallAndError() async throws {
        let client = Moto.client(try Moto.shared())
        let output = try await client.send(.lambda, .restJSON("ListFunctions", .get, "/2015-03-31/functions/")).json()
        #expect(output["Functions"]?.arrayValue != nil)

        let missing = Moto.unique("no-such-function")
        let error = try await #require(throws: AWSError.self) {
            try await client.send(.lambda, .restJSON("GetFunction", .get, AWSOperation.path("/2015-03-31/functions/", .label(missing))))
        }
        #expect(error.code == "ResourceNotFoundException")
        #expect(error.httpStatus == 404)
        #expect(error.message.contains(missing))
    }

    @Test func restXMLCallAndError() async throws {
        let client = Moto.client(try Moto.shared())
        let zoneName = Moto.unique("zone") + ".example.com"
        var body = XMLWriter()
        body.element("CreateHostedZoneRequest", namespace: "https://route53.amazonaws.com/doc/2013-04-01/") { xml in
            xml.element("Name", zoneName)
            xml.element("CallerReference", Moto.unique("ref"))
        }
        let created = try await client.send(.route53, .restXML("CreateHostedZone", .post, "/2013-04-01/hostedzone", body: body)).xml()
        let zoneID = try #require(created["HostedZone"]?.string("Id"))
        #expect(zoneID.hasPrefix("/hostedzone/"))

        let listed = try await client.send(.route53, .restXML("ListHostedZones", .get, "/2013-04-01/hostedzone")).xml()
        #expect(listed["HostedZones"]?.all("HostedZone").contains { $0.string("Name") == zoneName + "." } == true)

        let error = try await #require(throws: AWSError.self) {
            try await client.send(.route53, .restXML("GetHostedZone", .get, AWSOperation.path("/2013-04-01/hostedzone/", .label("ZNOSUCHZONE1"))))
        }
        #expect(error.code == "NoSuchHostedZone")
        #expect(error.httpStatus == 404)
    }

    @Test func paginationFollowsNextTokenToTheEnd() async throws {
        let client = Moto.client(try Moto.shared())
        let prefix = "/lifeboat/pages/" + Moto.unique("p")
        for index in 0..<5 {
            _ = try await client.json(.ssm, "PutParameter", ["Name": .string("\(prefix)/\(index)"), "Value": .string("\(index)"), "Type": "String"])
        }
        var pages = 0
        let names: [String] = try await AWSPagination.collect(service: "ssm", operation: "GetParametersByPath") { token in
            pages += 1
            var input: JSONValue = ["Path": .string(prefix), "MaxResults": 2]
            if let token { input["NextToken"] = .string(token) }
            let output = try await client.json(.ssm, "GetParametersByPath", input)
            return ((output["Parameters"]?.arrayValue ?? []).compactMap { $0["Name"]?.stringValue }, output["NextToken"]?.stringValue)
        }
        #expect(Set(names) == Set((0..<5).map { "\(prefix)/\($0)" }))
        #expect(pages == 3)
    }

    @Test func paginationStopsOnARepeatedToken() async throws {
        let error = try await #require(throws: AWSError.self) {
            _ = try await AWSPagination.collect(service: "x", operation: "List") { _ in ([1], "same") } as [Int]
        }
        #expect(error.code == "PaginationLoop")
    }
}
