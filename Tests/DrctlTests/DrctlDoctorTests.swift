import Foundation
import Testing

/// `drctl doctor` against moto: the example plan with its references seeded is all green; a plan
/// whose SSM parameter is missing reports exactly that parameter.
@Suite(.serialized) struct DrctlDoctorTests {
    static let motoResult = Result { try TestServer("testenv.aws.moto_launcher") }

    static func environment(_ moto: TestServer) -> [String: String] {
        ["AWS_ENDPOINT_URL": moto.baseURL, "AWS_ACCESS_KEY_ID": "AKIADOCTORTEST", "AWS_SECRET_ACCESS_KEY": "doctor-secret",
         "AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
         "AWS_EC2_METADATA_DISABLED": "true", "LIFEBOAT_EXTERNAL_ID": "doctor-external-id"]
    }

    /// What examples/payments-plan.yaml references, in the accounts and the acting region (us-west-2).
    static let seeded = Result<TestServer, any Error> {
        let moto = try motoResult.get()
        _ = try seed(moto, ["--account", "222222222222", "--region", "us-west-2", "--ssm", "/dr/payments/elasticache/subnet-group=payments-cache-usw2"])
        _ = try seed(moto, ["--account", "111111111111", "--region", "us-west-2", "--export", "payments-api-usw2-alb-name=payments-alb-usw2"])
        return moto
    }

    static func seed(_ moto: TestServer, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "testenv.aws.seed", "--endpoint", moto.baseURL] + arguments
        process.currentDirectoryURL = TestServer.packageRoot
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestServer.StartFailure(description: "seeding moto failed") }
        return data
    }

    @Test func examplePlanIsAllGreen() throws {
        let moto = try Self.seeded.get()
        let result = try DrctlRunner.run(["doctor", "-f", "examples/payments-plan.yaml"], environment: Self.environment(moto))
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("identity") && $0.contains(" ok ") })
        for account in ["111111111111", "222222222222"] {
            #expect(lines.contains { $0.hasPrefix("assume-role") && $0.contains("account \(account) role lifeboat-execution") && $0.contains(" ok ") })
        }
        #expect(lines.contains { $0.contains("session-cache parameters.SubnetGroup resolve:ssm:/dr/payments/elasticache/subnet-group") && $0.contains(" ok ") })
        #expect(lines.contains { $0.contains("api-dns parameters.Items[0].RecordValue !Import payments-api-usw2-alb-name") && $0.contains(" ok ") })
        #expect(lines.last == "5 checks: 5 passed, 0 failed")
        #expect(!result.stdout.contains("payments-cache-usw2") && !result.stdout.contains("doctor-external-id"), "values and secrets are not printed")
    }

    @Test func missingParameterIsReportedByName() throws {
        let moto = try Self.seeded.get()
        let plan = try String(contentsOf: DrctlRunner.packageRoot.appendingPathComponent("examples/payments-plan.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "resolve:ssm:/dr/payments/elasticache/subnet-group", with: "resolve:ssm:/dr/payments/elasticache/missing-group")
        let result = try DrctlRunner.run(["doctor", "-f", "-", "-o", "json"], stdin: plan, environment: Self.environment(moto))
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let checks = try #require(report["checks"] as? [[String: Any]])
        let failed = checks.filter { $0["passed"] as? Bool == false }
        #expect(failed.count == 1)
        #expect(failed.first?["subject"] as? String == "session-cache parameters.SubnetGroup resolve:ssm:/dr/payments/elasticache/missing-group")
        #expect((failed.first?["detail"] as? String)?.hasPrefix("ParameterNotFound") == true)
        #expect((failed.first?["hint"] as? String)?.contains("account 222222222222 in us-west-2") == true)
        #expect(report["ok"] as? Bool == false)
    }

    @Test func withoutAPlanOnlyTheIdentityIsChecked() throws {
        let moto = try Self.motoResult.get()
        let result = try DrctlRunner.run(["doctor"], environment: Self.environment(moto))
        #expect(result.status == 0)
        #expect(result.stdout.contains("1 check: 1 passed, 0 failed"))
    }

    @Test func unreachableAWSFailsWithAHint() throws {
        var environment = Self.environment(try Self.motoResult.get())
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        let result = try DrctlRunner.run(["doctor", "-f", "examples/payments-plan.yaml"], environment: environment)
        #expect(result.status == 1)
        #expect(result.stdout.contains("identity") && result.stdout.contains("FAIL") && result.stdout.contains("hint:"))
        #expect(!result.stdout.contains("doctor-secret"))
    }

    @Test func usageErrors() throws {
        let result = try DrctlRunner.run(["doctor", "plan.yaml"])
        #expect(result.status == 2 && result.stderr.contains("-f"))
        let bad = try DrctlRunner.run(["doctor", "-f", "Tests/DrctlTests/Fixtures/broken-plan.yaml"])
        #expect(bad.status == 1 && bad.stderr.contains("drctl validate"))
    }
}
