import Foundation
import TestSupport
import Testing
import Kube
@testable import ControllerRuntime

/// The acceptance test of the runtime: the sample controller (Tests/SampleController, not DR)
/// built on the Manager, as two real processes with leader election, status patching, a
/// finalizer and a secondary watch, against the test API server. SIGTERM must release the
/// Lease and end the process within 5 s.
@Suite(.serialized) struct SampleControllerTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv.withGadgets() }

    @Test func twoReplicasFailOverAndSIGTERMReleasesTheLease() async throws {
        let leases = env.client.api(Lease.self, .leases, namespace: "default")
        let history = LeaseHistory()
        let watcher = Informer(api: leases) { event in
            if case .applied(let lease, _) = event, lease.name == "sample-controller", let spec = lease.spec {
                await history.record(spec)
                if spec.holderIdentity == "" { await history.released() }
            }
        }
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }

        let r1 = try SampleReplica("r1", server: env.server.baseURL)
        let r2 = try SampleReplica("r2", server: env.server.baseURL)
        defer { r1.kill(); r2.kill() }

        _ = try await env.widgets().create(KubeTestEnv.widget("w", size: 3))
        let gadgets = env.gadgets()
        _ = try await gadgets.create(Gadget.named("g", widget: "w"))
        #expect(try await eventually { try await gadgets.get("g").status?.widgetSize == 3 })
        let first = try #require(try await leases.get("sample-controller").spec?.holderIdentity)
        let stored = try await gadgets.get("g")
        #expect(stored.status?.phase == "Ready" && stored.status?.handledBy == first)
        #expect(stored.status?.observedGeneration == stored.metadata.generation)
        #expect(stored.metadata.finalizers == ["example.io/sample-cleanup"])

        // The secondary watch: a Widget change reaches the Gadget that names it.
        _ = try await env.widgets().patch("w", .merge(["spec": ["size": 5]]))
        #expect(try await eventually { try await gadgets.get("g").status?.widgetSize == 5 })

        // SIGTERM the leader: it exits 0 within 5 s, having written the release.
        let (leader, standby) = first == "r1" ? (r1, r2) : (r2, r1)
        leader.terminate()
        #expect(await eventually(within: 5) { !leader.isRunning }, "the leader exited within 5 s of SIGTERM")
        #expect(leader.exitStatus == 0)
        #expect(await eventually { await history.releases >= 1 }, "the leader released the Lease (holder \"\")")

        // The standby takes over and carries on: status, secondary watch, finalizer.
        #expect(try await eventually { try await leases.get("sample-controller").spec?.holderIdentity == standby.identity })
        _ = try await env.widgets().patch("w", .merge(["spec": ["size": 7]]))
        #expect(try await eventually {
            let status = try await gadgets.get("g").status
            return status?.widgetSize == 7 && status?.handledBy == standby.identity
        })
        try await gadgets.delete("g")
        #expect(try await eventually { try await gadgets.getIfExists("g") == nil }, "cleanup ran; the finalizer was removed")

        standby.terminate()
        #expect(await eventually(within: 5) { !standby.isRunning }, "the last replica exited within 5 s of SIGTERM")
        #expect(standby.exitStatus == 0)
        #expect(try await leases.get("sample-controller").spec?.holderIdentity == "", "released, and nobody else holds it")
        #expect(await history.holders == [first, standby.identity])
    }
}

extension LeaseHistory {
    func released() { releaseCount += 1 }
    var releases: Int { releaseCount }
}

/// One `sample-controller` process (built with the tests), its stderr kept in a temporary file.
final class SampleReplica: Sendable {
    let identity: String
    private let process: Process
    let log: URL

    init(_ identity: String, server: String) throws {
        self.identity = identity
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["--server", server, "--identity", identity]
        log = FileManager.default.temporaryDirectory.appendingPathComponent("sample-controller-\(identity)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }
    func terminate() { Foundation.kill(process.processIdentifier, SIGTERM) }
    func kill() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// Built next to this test bundle by `swift build --build-tests`.
    static var binary: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("sample-controller")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return TestServer.packageRoot.appendingPathComponent(".build/debug/sample-controller")
    }
}
