import Foundation
import Testing
@testable import AWS
import YAML

/// moto with signature checking on (its own server: auth mode is global): a request signed with
/// the right secret is accepted, one with a wrong secret is rejected, for each protocol family
/// where moto's checks are reliable (query, ec2, json; see aws-emulation.md).
@Suite(.serialized) struct SigV4MotoAuthTests {
    @Test func wrongSecretIsRejectedRightSecretAccepted() async throws {
        let server = try TestServer("testenv.aws.moto_launcher")
        defer { server.stop() }
        let admin = Moto.client(server)
        let user = Moto.unique("lifeboat-signer")
        _ = try await admin.query(.iam, "CreateUser", [("UserName", user)])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try await admin.query(.iam, "PutUserPolicy", [("UserName", user), ("PolicyName", "all"), ("PolicyDocument", policy)])
        let key = try await admin.query(.iam, "CreateAccessKey", [("UserName", user)]).queryResult()["AccessKey"]
        let right = AWSCredentials(accessKeyID: try #require(key?.string("AccessKeyId")),
                                   secretAccessKey: try #require(key?.string("SecretAccessKey")))
        var wrong = right
        wrong.secretAccessKey = String(right.secretAccessKey.reversed())
        _ = try server.control("POST", "/moto-api/reset-auth", body: 0)

        let good = Moto.client(server, credentials: right), bad = Moto.client(server, credentials: wrong)
        let identity = try await STS(good).getCallerIdentity()
        #expect(identity.arn.hasSuffix("user/\(user)"))
        let name = "/lifeboat/auth/" + Moto.unique("p")
        _ = try await good.json(.ssm, "PutParameter", ["Name": .string(name), "Value": "x", "Type": "String"])
        #expect(try await SSM(good).getParameter(name).value == "x")
        _ = try await good.query(.ec2, "DescribeInstances")

        let stsError = try await #require(throws: AWSError.self) { try await STS(bad).getCallerIdentity() }
        #expect(stsError.code == "SignatureDoesNotMatch" && stsError.httpStatus == 403)
        let ssmError = try await #require(throws: AWSError.self) { try await SSM(bad).getParameter(name) }
        #expect(ssmError.code == "SignatureDoesNotMatch", "the XML error body of a JSON service is read too")
        let ec2Error = try await #require(throws: AWSError.self) { try await bad.query(.ec2, "DescribeInstances") }
        #expect(ec2Error.code == "AuthFailure" && ec2Error.httpStatus == 401)
        #expect(!"\(stsError)".contains(wrong.secretAccessKey) && !"\(stsError)".contains(right.secretAccessKey))
    }
}
