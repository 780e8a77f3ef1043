import AWS
import Engine
import Foundation
import HTTP
import LifeboatAPI
import Logging
import Modules
import YAML

/// The modules against the AWS emulator (moto + DRS extension), with the emulator's delays at
/// zero so the numbers are Lifeboat's: a DRS recovery of 300 servers selected by tag (three
/// jobs of 100), and an Auto Scaling pre-warm — wall time, this process's CPU, AWS calls and the
/// size of the checkpoint written to status. Starts and stops its own emulator.
enum ModulesBenchmark: BenchmarkSuite {
    static let name = "modules"
    static let summary = "DRS recovery of 300 tagged servers and an Auto Scaling pre-warm against the AWS emulator"
    static let account = "111111111111"

    static func run() async throws -> [Measurement] {
        let emulator = try TestServerProcess(module: "testenv.aws.emulator", name: "the AWS emulator (testenv.aws.emulator)")
        defer { emulator.stop() }
        try await control(emulator.baseURL, "/__emulator__/config",
                    ["drs": ["jobStartSeconds": 0, "launchSeconds": 0, "terminateSeconds": 0, "reverseReplicationSeconds": 0]])
        let servers = (1...300).map { ["hostname": "bench-\($0)", "tags": ["App": "bench"], "replicationState": "CONTINUOUS"] as [String: Any] }
        try await control(emulator.baseURL, "/__emulator__/drs/source-servers", ["account": account, "region": "us-west-2", "servers": servers])

        let environment = AWSEnvironment(["AWS_ENDPOINT_URL": emulator.baseURL])
        let base = AWSClient(region: "us-east-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIABENCH", secretAccessKey: "bench")),
                             http: HTTPClient(configuration: HTTPClientConfiguration(proxy: .none)),
                             endpoints: EndpointResolver(environment: environment))
        let clients = AssumedRoleClients(base: base, externalID: nil)
        var rows: [Measurement] = []

        let drs = DRSModule(clients: clients)
        let context = self.context(module: "DRS", ["Tags": ["App": "bench"], "MaxServersPerJob": 100])
        try await resetStats(emulator.baseURL)
        var cpu = EngineBenchmark.cpuSeconds()
        let clock = ContinuousClock()
        var began = clock.now
        let started = try await drs.start(context)
        rows.append(Measurement(name, "DRS start: select 300 by tag, 3 StartRecovery jobs (wall)", AWSBenchmark.seconds(clock.now - began) * 1000, "ms"))
        rows.append(Measurement(name, "DRS start (CPU)", (EngineBenchmark.cpuSeconds() - cpu) * 1000, "ms"))
        rows.append(Measurement(name, "DRS start: AWS calls", Double(try await totalCalls(emulator.baseURL)), "calls"))
        var checkpoint = started.checkpoint
        var polls = 0
        try await resetStats(emulator.baseURL)
        cpu = EngineBenchmark.cpuSeconds()
        began = clock.now
        poll: while polls < 100 {
            polls += 1
            switch try await drs.check(context, checkpoint: checkpoint) {
            case .inProgress(_, _, let refined): checkpoint = refined ?? checkpoint
            case .succeeded(_, let final):
                checkpoint = final ?? checkpoint
                break poll
            case .failed(let reason, _): throw BenchmarkFailure(message: "the DRS benchmark recovery failed: \(reason)")
            }
        }
        let perPoll = Double(max(polls, 1))
        rows.append(Measurement(name, "DRS check, 300 servers (wall per poll)", AWSBenchmark.seconds(clock.now - began) * 1000 / perPoll, "ms"))
        rows.append(Measurement(name, "DRS check (CPU per poll)", (EngineBenchmark.cpuSeconds() - cpu) * 1000 / perPoll, "ms"))
        rows.append(Measurement(name, "DRS polls until all 300 launched", perPoll, "polls"))
        rows.append(Measurement(name, "DRS checks: AWS calls per poll", Double(try await totalCalls(emulator.baseURL)) / perPoll, "calls"))
        rows.append(Measurement(name, "DRS checkpoint in status, 300 servers", Double(JSONWriter.write(checkpoint, pretty: false).utf8.count) / 1024, "KiB",
                                target: "well under 1.5 MiB"))

        // A small module end to end: the fixed cost of one resource's start and check.
        try seedAutoScalingGroup(emulator.baseURL)
        let autoScaling = AutoScalingModule(clients: clients)
        let scaleContext = self.context(module: "AutoScaling", ["AutoScalingGroupNames": ["bench-batch"], "DesiredCount": 2])
        cpu = EngineBenchmark.cpuSeconds()
        began = clock.now
        let scaled = try await autoScaling.start(scaleContext)
        _ = try await autoScaling.check(scaleContext, checkpoint: scaled.checkpoint)
        rows.append(Measurement(name, "AutoScaling start + check (wall)", AWSBenchmark.seconds(clock.now - began) * 1000, "ms"))
        rows.append(Measurement(name, "AutoScaling start + check (CPU)", (EngineBenchmark.cpuSeconds() - cpu) * 1000, "ms"))
        return rows
    }

    static func context(module: String, _ parameters: JSONValue) -> ModuleContext {
        ModuleContext(actingRegion: "us-west-2", peerRegion: "us-east-1", accountId: account, roleName: "lifeboat-bench", phase: module == "DRS" ? .activate : .instantiate,
                      mode: .recovery, direction: .failover, strategy: .graceful, executionUID: UUID().uuidString, executionName: "bench",
                      planName: "bench", resourceName: module.lowercased(), parameters: parameters,
                      deadline: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + 3600), logger: .disabled)
    }

    /// An Auto Scaling group at zero in the bench account (through the emulator's moto, by boto3).
    static func seedAutoScalingGroup(_ endpoint: String) throws {
        let script = """
            import boto3, sys
            sts = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
            c = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/bench", RoleSessionName="bench")["Credentials"]
            kw = dict(endpoint_url=sys.argv[1], region_name="us-west-2", aws_access_key_id=c["AccessKeyId"],
                      aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
            ec2 = boto3.client("ec2", **kw)
            vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
            subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/24", AvailabilityZone="us-west-2a")["Subnet"]["SubnetId"]
            image = ec2.describe_images()["Images"][0]["ImageId"]
            ec2.create_launch_template(LaunchTemplateName="bench-batch", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.small"})
            boto3.client("autoscaling", **kw).create_auto_scaling_group(AutoScalingGroupName="bench-batch", MinSize=0, MaxSize=4,
                DesiredCapacity=0, LaunchTemplate={"LaunchTemplateName": "bench-batch"}, VPCZoneIdentifier=subnet)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, endpoint]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkFailure(message: "seeding the Auto Scaling group failed") }
    }

    static let http = HTTPClient(configuration: HTTPClientConfiguration(proxy: .none))

    static func control(_ endpoint: String, _ path: String, _ body: [String: Any]) async throws {
        let request = HTTPRequest(method: .post, url: endpoint + path, headers: ["Content-Type": "application/json"],
                                  body: Array(try JSONSerialization.data(withJSONObject: body)))
        let response = try await http.send(request)
        guard response.isSuccess else { throw BenchmarkFailure(message: "emulator \(path): HTTP \(response.status)") }
    }

    static func resetStats(_ endpoint: String) async throws { try await control(endpoint, "/__emulator__/stats/reset", [:]) }

    /// Calls the emulator counted, leaving out STS (credentials, not the module's work).
    static func totalCalls(_ endpoint: String) async throws -> Int {
        let response = try await http.send(HTTPRequest(method: .get, url: endpoint + "/__emulator__/stats"))
        let json = try JSONParser.parse(response.body)
        return (json["calls"]?.objectValue ?? JSONObject()).filter { !$0.key.hasPrefix("sts:") }.compactMap(\.value.intValue).reduce(0, +)
    }
}
