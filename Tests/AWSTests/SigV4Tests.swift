import Foundation
import Testing
@testable import AWS
import HTTP

/// Our signer against botocore's, on the same inputs (testenv/aws/sigv4_oracle.py).
@Suite struct SigV4Tests {
    struct Case {
        var method = "GET"
        var host = "example.amazonaws.com"
        /// Literal parts and raw labels: Lifeboat encodes them with `AWSOperation.path`, botocore
        /// with its own serialiser (the oracle), so neither side is handed the other's encoding.
        var path: [AWSOperation.PathPart] = ["/"]
        var query: [(String, String)] = []
        var headers: HTTPHeaders = [:]
        var body = ""
        var token: String?
        var region = "us-east-1"
        var service = "service"
        var scheme = "https"
    }

    static let time = 1_440_938_160.0  // 2015-08-30T12:36:00Z, the AWS test suite's moment
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    static let cases: [Case] = [
        Case(),
        Case(query: [("Param2", "value2"), ("Param1", "value1")]),
        Case(query: [("Param1", "value2"), ("Param1", "value1"), ("a b", "c d/e?f=g&h"), ("emoji", "🛟 ü"), ("empty", "")]),
        Case(method: "POST", headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
             body: "Action=GetCallerIdentity&Version=2011-06-15", service: "sts"),
        Case(method: "POST", headers: ["Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.GetParameter"],
             body: #"{"Name":"/dr/a b","WithDecryption":true}"#, token: "FQoGZXIvYXdzE//token+with/slashes=", region: "us-west-2",
             service: "ssm"),
        Case(path: ["/2015-03-31/functions/", .label("arn:aws:lambda:us-west-2:111111111111:function:my fn"), "/concurrency"],
             service: "lambda"),
        Case(path: ["/2015-03-31/functions/", .label("a/b+c=d~e*f'ü 🛟"), "/invocations"], query: [("Qualifier", "$LATEST")], service: "lambda"),
        Case(path: ["/2013-04-01/hostedzone/", .label("Z123"), "/rrset/"], query: [("name", "api.example.com."), ("type", "A")],
             service: "route53"),
        Case(path: ["/a/./b/../c//d/"], service: "service"),
        Case(headers: ["My-Header1": "  value1   with   spaces ", "my-header1": "second", "User-Agent": "lifeboat", "X-Amzn-Trace-Id": "x"]),
        Case(method: "PUT", host: "127.0.0.1:4566", headers: ["Content-Type": "application/json"], body: "{}",
             service: "drs", scheme: "http"),
        Case(method: "DELETE", path: ["/~user/", .label("€")], service: "es"),
    ]

    @Test func matchesBotocoreOnEveryCase() throws {
        var input: [[String: Any]] = []
        var ours: [SigV4Signer.Request] = []
        for item in Self.cases {
            let query = AWSURIEncoding.canonicalQuery(item.query)
            let path = item.path.map { AWSOperation.path($0) }.joined()
            var request = SigV4Signer.Request(method: item.method, host: item.host, path: path, query: query,
                                              headers: item.headers, body: Array(item.body.utf8))
            var credentials = Self.credentials
            credentials.sessionToken = item.token
            SigV4Signer(region: item.region, service: item.service).sign(&request, credentials: credentials, time: Self.time)
            ours.append(request)
            input.append([
                "method": item.method, "scheme": item.scheme, "host": item.host,
                "path": item.path.map { part -> [String] in
                    switch part {
                    case .literal(let text): ["literal", text]
                    case .label(let text): ["label", text]
                    }
                },
                "query": item.query.map { [$0.0, $0.1] },
                "headers": item.headers.map { [$0.name, $0.value] }, "body": item.body, "access_key": credentials.accessKeyID,
                "secret_key": credentials.secretAccessKey, "token": item.token as Any, "region": item.region, "service": item.service,
                "time": "20150830T123600Z",
            ])
        }
        let output = try Moto.python("testenv.aws.sigv4_oracle", [], stdin: try JSONSerialization.data(withJSONObject: input))
        let botocore = try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
        #expect(botocore.count == Self.cases.count)
        for (index, (request, theirs)) in zip(ours, botocore).enumerated() {
            let headers = theirs["headers"] as? [String: String] ?? [:]
            #expect(request.headers["Authorization"] == headers["Authorization"], "case \(index): \(theirs["url"] ?? "")")
            #expect(request.headers["X-Amz-Date"] == headers["X-Amz-Date"])
            #expect(request.headers["X-Amz-Security-Token"] == headers["X-Amz-Security-Token"])
            let (canonical, _) = SigV4Signer(region: Self.cases[index].region, service: Self.cases[index].service).canonicalRequest(request)
            #expect(canonical == theirs["canonical"] as? String, "case \(index)")
        }
    }

    /// get-vanilla from the AWS SigV4 test suite: a published expected signature.
    @Test func awsTestSuiteVanillaGet() {
        var request = SigV4Signer.Request(method: "GET", host: "example.amazonaws.com", path: "/")
        SigV4Signer(region: "us-east-1", service: "service").sign(&request, credentials: Self.credentials, time: Self.time)
        #expect(request.headers["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func canonicalURIRules() {
        #expect(SigV4Signer.canonicalURI("") == "/")
        #expect(SigV4Signer.canonicalURI("/") == "/")
        #expect(SigV4Signer.canonicalURI("/a/./b/../c//d/") == "/a/c/d/")
        #expect(SigV4Signer.canonicalURI("/a%20b") == "/a%2520b", "non-S3 services sign the wire path encoded again")
        #expect(AWSURIEncoding.encode("a b/c~d*") == "a%20b%2Fc~d%2A")
        #expect(AWSURIEncoding.canonicalQuery([("b", "2"), ("a", "x y"), ("a", "1")]) == "a=1&a=x%20y&b=2")
    }

    @Test func signingReplacesAnEarlierSignature() {
        var request = SigV4Signer.Request(method: "GET", host: "example.amazonaws.com", path: "/")
        let signer = SigV4Signer(region: "us-east-1", service: "service")
        signer.sign(&request, credentials: Self.credentials, time: Self.time)
        signer.sign(&request, credentials: Self.credentials, time: Self.time + 60)
        #expect(request.headers.values("Authorization").count == 1)
        #expect(request.headers["X-Amz-Date"] == "20150830T123700Z")
    }
}
