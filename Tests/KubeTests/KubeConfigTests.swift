import Foundation
import Testing
import HTTP
@testable import Kube

@Suite struct KubeConfigTests {
    let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let path = "\(directory)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        return path
    }

    static let first = """
    apiVersion: v1
    kind: Config
    current-context: dev
    clusters:
    - name: dev
      cluster: {server: "https://dev.example:6443", certificate-authority: ca.pem}
    users:
    - name: alice
      user: {token: first-token}
    contexts:
    - name: dev
      context: {cluster: dev, user: alice, namespace: team}
    """

    static let second = """
    current-context: prod
    clusters:
    - name: dev
      cluster: {server: "https://ignored:1"}
    - name: prod
      cluster: {server: "https://prod.example/", certificate-authority-data: "Q0EgUEVN", insecure-skip-tls-verify: true}
    users:
    - name: alice
      user: {token: ignored}
    - name: bob
      user: {client-certificate-data: "Q0VSVA==", client-key-data: "S0VZ"}
    - name: carol
      user: {tokenFile: token.txt, client-certificate: c.crt, client-key: c.key}
    contexts:
    - name: prod
      context: {cluster: prod, user: bob}
    - name: files
      context: {cluster: dev, user: carol}
    """

    @Test func mergesListsFirstFileWinsPerKey() throws {
        let a = try write("a", Self.first), b = try write("b", Self.second)
        let config = try KubeConfig.load(list: "\(a):\(directory)/missing:\(b)", home: nil)
        #expect(config.currentContext == "dev")
        #expect(config.clusters?.map(\.name) == ["dev", "prod"])
        #expect(config.clusters?.first?.value.server == "https://dev.example:6443")
        #expect(config.clusters?.first?.value.certificateAuthority == "\(directory)/ca.pem", "relative to its file")
        #expect(config.users?.map(\.name) == ["alice", "bob", "carol"])

        let dev = try ClientConfiguration.from(kubeConfig: config)
        #expect(dev.server == "https://dev.example:6443" && dev.namespace == "team")
        #expect(dev.tls.certificateAuthorities == .file("\(directory)/ca.pem") && dev.tls.verifyPeer)
        guard case .token("first-token") = dev.credentials else { Issue.record("token"); return }

        let prod = try ClientConfiguration.from(kubeConfig: config, context: "prod")
        #expect(prod.server == "https://prod.example" && prod.namespace == "default")
        #expect(prod.tls.certificateAuthorities == .bytes(Array("CA PEM".utf8)))
        #expect(prod.tls.verifyPeer == false)
        #expect(prod.tls.clientCertificate == .bytes(Array("CERT".utf8)) && prod.tls.clientKey == .bytes(Array("KEY".utf8)))
        #expect("\(prod.credentials)" == "none")

        let files = try ClientConfiguration.from(kubeConfig: config, context: "files")
        #expect(files.tls.clientCertificate == .file("\(directory)/c.crt") && files.tls.clientKey == .file("\(directory)/c.key"))
        guard case .tokenFile(let path) = files.credentials else { Issue.record("token file"); return }
        #expect(path == "\(directory)/token.txt")

        #expect(throws: KubeError.self) { try ClientConfiguration.from(kubeConfig: config, context: "nope") }
    }

    @Test func credentialDescriptionsNeverShowSecrets() throws {
        #expect("\(Credentials.token("s3cr3t"))" == "bearer token")
        #expect(!"\(TLSConfiguration.PEM.bytes(Array("KEY".utf8)))".contains("KEY"))
    }

    @Test func execPluginRunsWithEnvAndArgsAndCachesUntilExpiry() async throws {
        let log = "\(directory)/runs"
        // The plugin is testenv/exec-credential-plugin.sh (a stand-in for `aws eks get-token`),
        // linked beside the kubeconfig so the relative `command` resolution is exercised too.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("testenv/exec-credential-plugin.sh").path
        let plugin = "\(directory)/plugin.sh"
        try FileManager.default.createSymbolicLink(atPath: plugin, withDestinationPath: script)
        let config = try KubeConfig.parse("""
        current-context: eks
        clusters: [{name: eks, cluster: {server: "https://eks"}}]
        users:
        - name: aws
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./plugin.sh
              args: [cluster-a]
              env: [{name: PREFIX, value: k8s-aws-v1}, {name: EXEC_PLUGIN_LOG, value: "\(log)"}]
        contexts: [{name: eks, context: {cluster: eks, user: aws}}]
        """, directory: directory)
        #expect(config.users?.first?.value.exec?.command == plugin)
        let clock = ManualDate(Date(timeIntervalSince1970: 1_800_000_000))  // 2027, before the expiry
        let execPlugin = ExecCredentialPlugin(config: config.users!.first!.value.exec!, environment: [:], now: clock.now)
        #expect(try await execPlugin.token() == "k8s-aws-v1-cluster-a")
        #expect(try await execPlugin.token() == "k8s-aws-v1-cluster-a")
        #expect(await execPlugin.runs == 1, "cached until expirationTimestamp")
        clock.set(Date(timeIntervalSince1970: 1_900_000_000))  // 2030-03: expired
        _ = try await execPlugin.token()
        #expect(await execPlugin.runs == 2)
        await execPlugin.invalidate()
        _ = try await execPlugin.token()
        #expect(await execPlugin.runs == 3)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
    }

    @Test func execPluginFailureIsAConfigurationError() async throws {
        let plugin = try write("fail.sh", "#!/bin/sh\nexit 3\n", executable: true)
        let exec = KubeConfig.ExecConfig(apiVersion: nil, command: plugin, args: nil, env: nil)
        await #expect(throws: KubeError.self) { try await ExecCredentialPlugin(config: exec, environment: [:]).token() }
    }

    @Test func inClusterReadsTheServiceAccount() throws {
        _ = try write("token", "sa-token\n")
        _ = try write("namespace", "lifeboat-system")
        let config = try ClientConfiguration.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"], root: directory)
        #expect(config.server == "https://10.0.0.1:443" && config.namespace == "lifeboat-system")
        #expect(config.tls.certificateAuthorities == .file("\(directory)/ca.crt"))
        #expect(throws: KubeError.self) { try ClientConfiguration.inCluster(environment: [:], root: directory) }
    }
}

/// A settable clock for expiry logic.
final class ManualDate: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ date: Date) { current = date }
    func set(_ date: Date) { lock.withLock { current = date } }
    var now: @Sendable () -> Date { { self.lock.withLock { self.current } } }
}
