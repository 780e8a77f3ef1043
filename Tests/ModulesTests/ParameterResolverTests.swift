import Foundation
import Testing
import AWS
import LifeboatAPI
@testable import Modules
import YAML

/// References resolved against the emulator (moto's SSM and CloudFormation), in the target
/// account (through AssumeRole) and region.
@Suite struct ParameterResolverTests {
    func seed(_ moto: TestServer, account: String, region: String, ssm: [String] = [], secure: [String] = [], exports: [String] = []) throws {
        var arguments = ["--endpoint", moto.baseURL, "--account", account, "--region", region]
        for pair in ssm { arguments += ["--ssm", pair] }
        for pair in secure { arguments += ["--secure-ssm", pair] }
        for pair in exports { arguments += ["--export", pair] }
        _ = try Emulator.python(["-m", "testenv.aws.seed"] + arguments)
    }

    func resolver(_ moto: TestServer) -> ParameterResolver {
        let base = AWSClient(region: "us-east-1", credentials: StaticCredentialProvider(Emulator.credentials),
                             endpoints: EndpointResolver(environment: AWSEnvironment(["AWS_ENDPOINT_URL": moto.baseURL])),
                             retry: Emulator.instantRetry)
        return ParameterResolver(accounts: CrossAccountCredentials(base: base, roleName: "lifeboat-execution",
                                                            externalID: nil, executionName: "test"))
    }

    @Test func resolvesRecursivelyInTheTargetAccountAndRegion() async throws {
        let moto = try Emulator.shared()
        let id = Emulator.unique("r")
        try seed(moto, account: "222222222222", region: "us-west-2", ssm: ["/dr/\(id)/subnet=sg-subnets"], secure: ["/dr/\(id)/password=hunter2"],
                 exports: ["\(id)-alb=alb-123"])
        let parameters: JSONValue = [
            "SubnetGroup": .string("resolve:ssm:/dr/\(id)/subnet"),
            "Nested": ["List": [.string("{{resolve:ssm:/dr/\(id)/password}}"), 7, .string("!Import \(id)-alb")]],
            "Plain": "resolve-me-not", "Flag": true,
        ]
        let resolver = resolver(moto)
        let resolved = try await resolver.resolve(parameters, account: "222222222222", region: "us-west-2")
        #expect(resolved == [
            "SubnetGroup": "sg-subnets", "Nested": ["List": ["hunter2", 7, "alb-123"]], "Plain": "resolve-me-not", "Flag": true,
        ])
        // Only the SecureString is a secret the executor must scrub from what modules report.
        #expect(await resolver.secureValues == ["hunter2"])
    }

    @Test func versionSelectorAndPerExecutionCache() async throws {
        let moto = try Emulator.shared()
        let name = "/dr/" + Emulator.unique("v") + "/value"
        try seed(moto, account: "222222222222", region: "us-west-2", ssm: ["\(name)=one"])
        try seed(moto, account: "222222222222", region: "us-west-2", ssm: ["\(name)=two"])
        let resolver = resolver(moto)
        #expect(try await resolver.resolve(.ssm(name: name, version: 1), account: "222222222222", region: "us-west-2") == "one")
        #expect(try await resolver.resolve(.ssm(name: name, version: nil), account: "222222222222", region: "us-west-2") == "two")
        try seed(moto, account: "222222222222", region: "us-west-2", ssm: ["\(name)=three"])
        #expect(try await resolver.resolve(.ssm(name: name, version: nil), account: "222222222222", region: "us-west-2") == "two",
                "one execution sees one value")
        #expect(try await self.resolver(moto).resolve(.ssm(name: name, version: nil), account: "222222222222", region: "us-west-2") == "three")
    }

    @Test func otherAccountsAndRegionsAreSeparate() async throws {
        let moto = try Emulator.shared()
        let name = "/dr/" + Emulator.unique("scope")
        try seed(moto, account: "222222222222", region: "us-west-2", ssm: ["\(name)=here"])
        let resolver = resolver(moto)
        let elsewhere = try await #require(throws: ReferenceResolutionError.self) {
            try await resolver.resolve(.ssm(name: name, version: nil), account: "111111111111", region: "us-west-2")
        }
        #expect(elsewhere.code == "ParameterNotFound" && elsewhere.account == "111111111111")
        await #expect(throws: ReferenceResolutionError.self) {
            try await resolver.resolve(.ssm(name: name, version: nil), account: "222222222222", region: "us-east-1")
        }
    }

    @Test func aFailedReferenceNamesItselfNotAValue() async throws {
        let moto = try Emulator.shared()
        let id = Emulator.unique("fail")
        try seed(moto, account: "222222222222", region: "us-west-2", secure: ["/dr/\(id)/secret=s3cr3t-value"])
        let parameters: JSONValue = ["Ok": .string("resolve:ssm:/dr/\(id)/secret"), "Items": [["Missing": .string("resolve:ssm:/dr/\(id)/absent")]]]
        let error = try await #require(throws: ReferenceResolutionError.self) {
            try await resolver(moto).resolve(parameters, account: "222222222222", region: "us-west-2", at: FieldPath.root.key("parameters"))
        }
        #expect(error.reference == "resolve:ssm:/dr/\(id)/absent")
        #expect(error.path == FieldPath.root.key("parameters").key("Items").index(0).key("Missing"))
        #expect(error.code == "ParameterNotFound")
        #expect(error.hint?.contains("put-parameter") == true)
        #expect(!"\(error)".contains("s3cr3t-value"))
        #expect("\(error)".contains("resolve:ssm:/dr/\(id)/absent"))

        let export = try await #require(throws: ReferenceResolutionError.self) {
            try await resolver(moto).resolve(.cloudFormationExport(name: "\(id)-nope"), account: "222222222222", region: "us-west-2")
        }
        #expect(export.code == "ExportNotFound" && export.reference == "!Import \(id)-nope")
        let malformed = try await #require(throws: ReferenceResolutionError.self) {
            try await resolver(moto).resolve(.string("resolve:ssn:/x"), account: "222222222222", region: "us-west-2")
        }
        #expect(malformed.code == "MalformedReference")
    }
}
