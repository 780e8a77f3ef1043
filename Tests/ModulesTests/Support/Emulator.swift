import Foundation
import Testing
import AWS
import Engine
import LifeboatAPI
import Logging
import Modules
import TestSupport
import YAML

/// The AWS emulator of this test process (started once, on first use), the seeded applications,
/// and helpers to drive modules against it.
///
/// Isolation: every suite is `.serialized` and works on its own seeded copy of the application
/// (its own prefix); suites run in parallel with each other but never call another suite's
/// mutating operations, so per-operation call counts in /__emulator__/stats are exact for a
/// suite. Every copy is seeded up front, before any test acts, because seeding itself makes
/// mutating calls (records, instances, DB instances) that would otherwise show in the counts.
enum Emulator {
    static let sharedResult = Result { try TestServer("testenv.aws.emulator") }
    static func shared() throws -> TestServer { try sharedResult.get() }

    static let account = "111111111111"
    static let east = "us-east-1"
    static let west = "us-west-2"
    static let credentials = AWSCredentials(accessKeyID: "AKIATESTTESTTEST", secretAccessKey: "testing-secret")
    /// Three attempts, no real waiting (the tests look at attempts, not at time).
    static let retryAttempts = 3
    static let instantRetry = RetryConfiguration(maxAttempts: retryAttempts, sleep: { _ in }, random: { 0.5 })

    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    // MARK: Seeding

    /// The suites that get a copy of the application each.
    static let copies = ["drs", "aurora", "ecs", "asg", "ec2", "r53"]
    static let runID = UUID().uuidString.prefix(6).lowercased()

    /// Every copy, seeded concurrently on first use (one `python3 -m testenv.aws.application` each).
    static let seeded: Task<[String: App], any Error> = Task {
        let server = try shared()
        // Every delay 0: an operation moves on at the next request; tests that need an operation
        // to stay under way set a delay themselves and restore it.
        _ = try server.control("POST", "/__emulator__/config", body: zeroDelays)
        let results = try await withThrowingTaskGroup(of: (String, App).self) { group in
            for name in copies {
                group.addTask {
                    let prefix = "m\(runID)-\(name)-"
                    let data = try await detached { try python(["-m", "testenv.aws.application", "--endpoint", server.baseURL, "--prefix", prefix]) }
                    return (name, try App(prefix: prefix, json: data))
                }
            }
            var apps: [String: App] = [:]
            for try await (name, app) in group { apps[name] = app }
            return apps
        }
        return results
    }

    nonisolated(unsafe) static let zeroDelays: [String: Any] = ["drs": ["jobStartSeconds": 0, "launchSeconds": 0, "terminateSeconds": 0, "reverseReplicationSeconds": 0],
                                            "aurora": ["failoverSeconds": 0, "switchoverSeconds": 0],
                                            "eventbridge": ["replaySeconds": 0], "opensearch": ["changeSeconds": 0],
                                            "rds": ["replicationSeconds": 0, "restoreSeconds": 0],
                                            "memorydb": ["createSeconds": 0],
                                            "elasticache": ["globalCreateSeconds": 0, "memberCreateSeconds": 0, "failoverSeconds": 0,
                                                            "disassociateSeconds": 0, "deleteSeconds": 0]]

    static func app(_ name: String) async throws -> App { try await seeded.value[name]! }

    /// Runs blocking work off the cooperative pool.
    static func detached<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Runs `python3 args…` from the repository root and returns its stdout.
    static func python(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = TestServer.packageRoot
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var errorText = Data()
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread { errorText = errors.fileHandleForReading.readDataToEndOfFile(); drained.signal() }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServer.StartFailure(description: "python3 \(arguments.prefix(3).joined(separator: " ")) failed: \(String(decoding: errorText, as: UTF8.self).suffix(3000))")
        }
        return data
    }

    /// Runs a boto3 snippet in the account (through AssumeRole, as the seed does): `aws(service,
    /// region)` is a client; whatever the snippet assigns to `out` comes back as JSON. For what
    /// happens "behind the module's back" (an instance terminated, a service deleted, capacity raised).
    static func boto(_ snippet: String) async throws -> Any {
        let server = try shared()
        let script = """
            import json, sys
            from testenv.aws.application import Account
            account = Account(sys.argv[1])
            aws = account.client
            out = None
            \(snippet)
            print(json.dumps(out, default=str))
            """
        let data = try await detached { try python(["-c", script, server.baseURL]) }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    // MARK: Control API

    static func control(_ method: String, _ path: String, body: Any? = nil) async throws -> Any {
        let server = try shared()
        let text = try body.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]), as: UTF8.self) }
        let answer = try await detached { () -> JSONText in JSONText(value: try server.control(method, path, body: text)) }
        return answer.value
    }

    /// Calls per "service:Operation" so far.
    static func stats() async throws -> [String: Int] {
        let answer = try await control("GET", "/__emulator__/stats") as? [String: Any]
        return (answer?["calls"] as? [String: Int]) ?? [:]
    }

    /// Calls per service:operation in each SigV4 signing region.
    static func statsByRegion() async throws -> [String: [String: Int]] {
        let answer = try await control("GET", "/__emulator__/stats") as? [String: Any]
        return (answer?["byRegion"] as? [String: [String: Int]]) ?? [:]
    }

    /// The calls to `services` that change something (anything but Describe*, List*, Get*) made in
    /// `region` since `before`. Judged by the operation's name, independently of Lifeboat's own
    /// read-only allow-list. Suites run in parallel against one emulator, so a suite counts only
    /// the services its module calls (each is called by one suite alone).
    static func mutatingCalls(in region: String, since before: [String: [String: Int]], services: [String]) async throws -> [String: Int] {
        let now = try await statsByRegion()
        return delta(before[region] ?? [:], now[region] ?? [:]).filter { key, _ in
            let parts = key.split(separator: ":").map(String.init)
            guard parts.count == 2, services.contains(parts[0]) else { return false }
            return !["Describe", "List", "Get"].contains { parts[1].hasPrefix($0) }
        }
    }

    static func config(_ body: [String: Any]) async throws {
        _ = try await control("POST", "/__emulator__/config", body: body)
    }

    static func failure(_ spec: [String: Any]) async throws {
        _ = try await control("POST", "/__emulator__/failures", body: spec)
    }

    /// A fault rule; returns its id.
    static func fault(_ spec: [String: Any]) async throws -> String {
        let answer = try await control("POST", "/__faults__/rules", body: spec) as? [String: Any]
        return answer?["id"] as? String ?? ""
    }

    static func faultHits(_ id: String) async throws -> (hits: Int, remaining: Int) {
        let answer = try await control("GET", "/__faults__/rules/\(id)") as? [String: Any] ?? [:]
        return (answer["hits"] as? Int ?? -1, answer["remaining"] as? Int ?? -1)
    }

    /// Seeds DRS source servers in the recovery region; returns their ids in order.
    static func seedSourceServers(_ servers: [[String: Any]], region: String = west) async throws -> [String] {
        let answer = try await control("POST", "/__emulator__/drs/source-servers",
                                       body: ["account": account, "region": region, "servers": servers]) as? [String: Any]
        return ((answer?["sourceServers"] as? [[String: Any]]) ?? []).compactMap { $0["sourceServerID"] as? String }
    }

    static func drsState(region: String = west) async throws -> [String: Any] {
        try await control("GET", "/__emulator__/drs/state?account=\(account)&region=\(region)") as? [String: Any] ?? [:]
    }

    // MARK: Modules

    /// The production provider (sts:AssumeRole into the account) aimed at the emulator.
    static func clients() throws -> AssumedRoleClients {
        let server = try shared()
        let base = AWSClient(region: east, credentials: StaticCredentialProvider(credentials),
                             endpoints: EndpointResolver(environment: AWSEnvironment(["AWS_ENDPOINT_URL": server.baseURL])),
                             retry: instantRetry)
        return AssumedRoleClients(base: base, externalID: nil)
    }

    /// A client in the account for the tests' own reads.
    static func client(region: String) async throws -> AWSClient {
        await (try clients()).client(account: account, roleName: "lifeboat-test", executionName: "test-reader", region: region)
    }

    /// The context of one phase: a Recovery's Instantiate, Activate and Replicate act in the
    /// recovery region (us-west-2), its Cleanup in the old primary (us-east-1); a Drill acts in
    /// us-west-2 in every phase.
    static func context(_ phase: Phase, mode: ExecutionMode = .recovery, strategy: Strategy = .graceful,
                        parameters: JSONValue, execution: String = unique("exec"), resource: String = "res",
                        plan: String = "plan") -> ModuleContext {
        // The engine's rule (API.md "Regions per phase"): a drill acts in the standby in every phase.
        let regions = ActingRegions(plan: RegionPair(primary: east, secondary: west), phase: phase, direction: .failover, mode: mode)
        return ModuleContext(actingRegion: regions.acting, peerRegion: regions.peer, accountId: account, roleName: "lifeboat-test", phase: phase,
                             mode: mode, direction: .failover, strategy: strategy, executionUID: execution, executionName: execution,
                             planName: plan, resourceName: resource, parameters: parameters,
                             deadline: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + 600), logger: .disabled)
    }

    /// Polls `check` until it stops answering inProgress (with a deadline), carrying forward a
    /// checkpoint a poll replaces.
    static func poll(_ module: any DRModule, _ context: ModuleContext, _ checkpoint: JSONValue,
                     within seconds: Double = 30) async throws -> (result: CheckResult, checkpoint: JSONValue) {
        var current = checkpoint
        var last: CheckResult = .inProgress(message: "not polled")
        let finished = try await eventually(within: seconds) {
            last = try await module.check(context, checkpoint: current)
            switch last {
            case .inProgress(_, _, let replacement):
                if let replacement { current = replacement }
                return false
            case .succeeded(_, let replacement):
                if let replacement { current = replacement }
                return true
            case .failed:
                return true
            }
        }
        #expect(finished, "check still in progress: \(last)")
        return (last, current)
    }

    /// start then poll to the end.
    static func run(_ module: any DRModule, _ context: ModuleContext) async throws -> (start: StartResult, result: CheckResult, checkpoint: JSONValue) {
        let started = try await module.start(context)
        let (result, checkpoint) = try await poll(module, context, started.checkpoint)
        return (started, result, checkpoint)
    }

    /// What a fault that outlasts the client's retries does to a start: the first `start` throws a
    /// transient ModuleError, the next succeeds and its check finishes. Returns the stats from
    /// before (to count what reached AWS) and how many calls the fault answered instead of AWS.
    static func startThroughFault(_ module: any DRModule, _ context: ModuleContext, service: String, operation: String,
                                  fault: [String: Any] = ["kind": "throttle"]) async throws -> (before: [String: Int], faulted: Int) {
        var spec = fault
        spec["count"] = retryAttempts + 1
        spec["match"] = ["service": service, "operation": operation]
        let rule = try await self.fault(spec)
        let before = try await stats()
        let error = await self.error { try await module.start(context) }
        #expect(error?.kind == .transient, "\(String(describing: error))")
        let retried = try await module.start(context)
        let (result, _) = try await poll(module, context, retried.checkpoint)
        #expect(result.isSucceeded, "\(result)")
        let hits = try await faultHits(rule)
        #expect(hits.remaining == 0)
        return (before, hits.hits)
    }

    /// The ModuleError a call throws (nil when it does not throw).
    static func error<T>(_ body: () async throws -> T) async -> ModuleError? {
        do {
            _ = try await body()
            return nil
        } catch let error as ModuleError {
            return error
        } catch {
            return ModuleError(.permanent, code: "NotAModuleError", "\(error)")
        }
    }

    /// Difference of two stats snapshots, only the operations that changed.
    static func delta(_ before: [String: Int], _ after: [String: Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (key, value) in after where value != before[key, default: 0] { result[key] = value - before[key, default: 0] }
        return result
    }
}

/// Carries a JSONSerialization result out of a detached thread.
struct JSONText: @unchecked Sendable { let value: Any }

extension CheckResult {
    var isSucceeded: Bool { if case .succeeded = self { true } else { false } }
    var failure: (reason: String, code: String?)? { if case .failed(let reason, let code) = self { (reason, code) } else { nil } }
    var successMessage: String? { if case .succeeded(let message, _) = self { message } else { nil } }
}

/// The JSON summary `testenv.aws.application` prints.
struct App: @unchecked Sendable {
    let prefix: String
    let summary: [String: Any]

    init(prefix: String, json: Data) throws {
        self.prefix = prefix
        guard let summary = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw TestServer.StartFailure(description: "seed printed no JSON object")
        }
        self.summary = summary
    }

    func value(_ path: String...) -> Any? {
        var current: Any? = summary
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    func string(_ path: String...) -> String {
        var current: Any? = summary
        for key in path { current = (current as? [String: Any])?[key] }
        return current as? String ?? "<missing \(path.joined(separator: "."))>"
    }

    func regional(_ name: String) -> [String: Any] { value("regions", name) as? [String: Any] ?? [:] }
    func subnet(_ name: String) -> String { (regional(name)["subnetIds"] as? [String])?.first ?? "" }
    func instance(_ host: String, _ name: String) -> String { (regional(name)["instances"] as? [String: String])?[host] ?? "" }
    var ecsCluster: String { string("regions", Emulator.west, "ecs", "cluster") }
    var asg: String { string("regions", Emulator.west, "batch", "autoScalingGroupName") }
    var globalCluster: String { string("aurora", "globalClusterIdentifier") }
    var dbCluster: String { string("aurora", "clusterIdentifier") }
    var dbInstance: String { string("aurora", "instanceIdentifier") }
    func clusterArn(_ region: String) -> String { string("aurora", "clusterArns", region) }
    var zoneID: String { string("route53", "hostedZoneId") }
    func hostName(_ host: String) -> String { prefix + host }
    func drsServer(_ host: String) -> String { string("drs", "sourceServers", host) }
}
