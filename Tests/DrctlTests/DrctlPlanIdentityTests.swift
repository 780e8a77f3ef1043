import TestSupport
import Foundation
import Testing
import YAML

/// Break-glass identity and exclusion: a state directory belongs to one plan (namespace/name,
/// uid, regions and resources), and one real run per plan per machine, whatever the directory.
@Suite struct DrctlPlanIdentityTests {
    let workspace: RunWorkspace

    init() throws { workspace = try RunWorkspace() }

    /// A one-layer plan of EC2 hosts; `startGate` makes Instantiate wait at gate `start`.
    func plan(_ file: String, namespace: String = "dr", name: String = "shop", secondary: String = "us-west-2",
              hosts: [String] = ["web"], parameter: String = "web", startGate: Bool = false) throws -> String {
        var text = """
            apiVersion: lifeboat.dev/v1alpha1
            kind: DRPlan
            metadata: {name: \(name), namespace: \(namespace)}
            spec:
              regions: {primary: us-east-1, secondary: \(secondary)}
              accounts: {default: "111111111111"}
              approvals: {phases: [\(startGate ? "Instantiate" : "Replicate")], drills: Required}
              layers:
              - name: app
                resources:

            """
        for host in hosts { text += "    - {name: \(host), module: EC2, parameters: {HostNames: [\(parameter)]}}\n" }
        return try workspace.write(file, text)
    }

    func rehearse(_ plan: String, _ phase: String, mode: String = "Recovery", state: String, _ extra: [String] = []) throws -> DrctlResult {
        try DrctlRunner.run(["run", "-f", plan, "--phase", phase, "--mode", mode, "--state-dir", state,
                             "--simulate", "--simulate-duration", "50ms"] + extra)
    }

    @Test func theDefaultStateDirectoryIncludesTheNamespace() throws {
        defer { workspace.remove() }
        let plan = try plan("plan.yaml", namespace: "other")
        let run = try DrctlRunner.run(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--simulate",
                                       "--simulate-duration", "50ms"], directory: workspace.root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("state in lifeboat-state/other/shop"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: workspace.path("lifeboat-state/other/shop/execution.yaml")))
    }

    @Test func aPlanOfAnotherNamespaceIsRefusedTheDirectoryOfItsNamesake() throws {
        defer { workspace.remove() }
        let state = workspace.path("state")
        let activate = try rehearse(try plan("dr.yaml"), "Activate", state: state)
        #expect(activate.status == 0, "\(activate.stderr)")
        // other/shop must not be admitted to a Recovery Cleanup because dr/shop activated here.
        let cleanup = try rehearse(try plan("other.yaml", namespace: "other"), "Cleanup", state: state)
        #expect(cleanup.status == 2, "\(cleanup.stdout)\(cleanup.stderr)")
        #expect(cleanup.stderr.contains("\(state) belongs to plan dr/shop, not to plan other/shop (the namespace differs: dr, other)"), "\(cleanup.stderr)")
        #expect(cleanup.stderr.contains("use another --state-dir (the default for this plan is lifeboat-state/other/shop)"), "\(cleanup.stderr)")
        #expect(workspace.execution(state)?["spec"]?["phase"] == "Activate")
    }

    @Test func aDifferentPlanOfTheSameNameIsRefusedSayingWhatDiffers() throws {
        defer { workspace.remove() }
        let state = workspace.path("state")
        let first = try rehearse(try plan("plan.yaml"), "Activate", state: state)
        #expect(first.status == 0, "\(first.stderr)")
        // Other regions and resources: not the plan that ran here. It used to report the old
        // run's "Succeeded" and run nothing.
        let other = try plan("other.yaml", secondary: "eu-west-1", hosts: ["web", "api"])
        let again = try rehearse(other, "Activate", state: state)
        #expect(again.status == 2, "\(again.stdout)\(again.stderr)")
        #expect(!again.stdout.contains("Succeeded"))
        #expect(again.stderr.contains("the plan given differs from plan dr/shop whose runs this directory holds: regions us-east-1/eu-west-1 (here us-east-1/us-west-2); resources added: api"), "\(again.stderr)")
        #expect(again.stderr.contains("use another --state-dir, or --accept-plan-change if this is the same plan changed on purpose"), "\(again.stderr)")
        // A harmless edit (a parameter) is the same plan: the finished run is reported again.
        let edited = try rehearse(try plan("edited.yaml", parameter: "web-2"), "Activate", state: state)
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stderr.contains("has already finished (Succeeded)"))
        // A change made on purpose is accepted and recorded.
        let accepted = try rehearse(other, "Activate", state: state, ["--accept-plan-change", "--new"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(workspace.read(state, "plan-identity.json")?["regions"]?["secondary"] == "eu-west-1")
    }

    @Test func oneRealRunPerPlanPerMachineWhateverTheStateDirectory() async throws {
        defer { workspace.remove() }
        let plan = try plan("plan.yaml", startGate: true)
        // No AWS call is made while the run waits at gate start; the endpoint refuses anyway.
        let environment = ["LIFEBOAT_LOCK_DIR": workspace.path("locks"), "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
                           "AWS_ACCESS_KEY_ID": "AKIATEST", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-1",
                           "AWS_EC2_METADATA_DISABLED": "true"]
        let first = workspace.path("st1")
        let running = try BackgroundDrctl(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", first],
                                          in: workspace.root, environment: environment)
        let waiting = await eventually(within: 60) { workspace.execution(first)?["status"]?["phase"] == "AwaitingApproval" }
        #expect(waiting, "\(running.stderrSoFar)")
        // (The deadline only keeps a second run that was wrongly admitted from waiting at the gate forever.)
        let second = try DrctlRunner.run(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", workspace.path("st2"),
                                          "--timeout", "30s"], environment: environment)
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("plan dr/shop is being run on this machine by pid \(running.pid) from state directory \(first)"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("st2/execution.yaml")))
        running.signal(SIGKILL)
        _ = try running.wait()
        // The kernel released the lock with the process: the plan runs again.
        let cancel = try DrctlRunner.run(["cancel", "--state-dir", first])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        let resumed = try DrctlRunner.run(["run", "--state-dir", first], environment: environment)
        #expect(resumed.status == 3, "\(resumed.stdout)\(resumed.stderr)")
    }
}
