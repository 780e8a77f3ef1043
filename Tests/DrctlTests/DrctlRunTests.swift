import TestSupport
import Foundation
import Testing
import YAML

/// `drctl run` (break-glass mode) end to end: the real binary, rehearsals with simulated
/// modules (`--simulate`) whose operations persist in the state directory.
@Suite struct DrctlRunTests {
    let workspace: RunWorkspace

    init() throws { workspace = try RunWorkspace() }

    @Test func aRehearsalRunsEveryLayerAndStatusShowsTheResult() async throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db", "cache"]), ("app", ["api", "web"])])
        let state = workspace.path("state")
        let run = try DrctlRunner.run(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", state,
                                       "--simulate", "--simulate-duration", "100ms"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Succeeded"))
        #expect(workspace.resourceStates(state) == ["db": "Succeeded", "cache": "Succeeded", "api": "Succeeded", "web": "Succeeded"])
        // Non-TTY: one JSON log line per Event on standard error.
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.contains { $0.contains("\"reason\":\"ExecutionSucceeded\"") })
        #expect(lines.allSatisfy { (try? YAML.parseDocument(String($0)).value["msg"]) != nil })

        let status = try DrctlRunner.run(["status", "--state-dir", state])
        #expect(status.status == 0)
        #expect(status.stdout.contains("Succeeded · 4/4 finished"))
        for resource in ["db", "cache", "api", "web"] { #expect(status.stdout.contains(resource)) }
        let json = try DrctlRunner.run(["status", "--state-dir", state, "-o", "json"])
        #expect(try YAML.parseDocument(json.stdout).value["status"]?["phase"] == "Succeeded")
        // plan state records the run for the phase-order guard of later runs of this directory
        #expect(workspace.read(state, "plan-state.json")?["lastExecutions"]?[0]?["result"] == "Succeeded")
    }

    @Test func aRunKilledMidLayerResumesWithoutStartingAnythingTwice() async throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db", "cache"]), ("app", ["api", "web", "queue"])], pauseBefore: ["app"])
        // Layer app's operations take a minute, so the kill surely lands while they run (however
        // slowly this machine schedules the test); for the restart they take 100 ms.
        let script = try workspace.write("script.yaml", """
            defaults: {duration: 100ms}
            resources: {api: {duration: 60s}, web: {duration: 60s}, queue: {duration: 60s}}
            """)
        let state = workspace.path("state")
        let arguments = ["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", state, "--approve", "layer-app",
                         "--simulate", "--simulate-script", script]
        let first = try BackgroundDrctl(arguments, in: workspace.root)
        let midLayer = await eventually(within: 60) { ["api", "web", "queue"].contains { workspace.resourceStates(state)[$0] == "InProgress" } }
        #expect(midLayer)
        first.signal(SIGKILL)
        let killed = try first.wait()
        #expect(killed.status == SIGKILL || killed.status == 128 + SIGKILL)
        #expect(workspace.execution(state)?["status"]?["phase"] == "Running")

        _ = try workspace.write("script.yaml", "defaults: {duration: 100ms}")
        let second = try DrctlRunner.run(arguments)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stderr.contains("resuming execution"))
        #expect(workspace.resourceStates(state).values.allSatisfy { $0 == "Succeeded" })
        let ledger = try #require(workspace.read(state, "simulation.json"))
        #expect(ledger["effectsApplied"] == ["db": 1, "cache": 1, "api": 1, "web": 1, "queue": 1])
    }

    @Test func aGateRejectedFromAnotherShellEndsTheRunCancelled() async throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])], startGate: true)
        let state = workspace.path("state")
        let arguments = ["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", state,
                         "--simulate", "--simulate-duration", "100ms"]
        let run = try BackgroundDrctl(arguments, in: workspace.root)
        let waiting = await eventually(within: 60) { workspace.execution(state)?["status"]?["phase"] == "AwaitingApproval" }
        #expect(waiting)

        // The directory is driven: a second run is refused, naming the holder.
        _ = try workspace.write("script.yaml", "defaults: {duration: 100ms}")
        let second = try DrctlRunner.run(arguments)
        #expect(second.status == 1)
        #expect(second.stderr.contains("pid \(run.pid)"))
        // A run that contradicts the unfinished one is a usage error.
        let other = try DrctlRunner.run(["run", "--state-dir", state, "--phase", "Activate", "--simulate"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("unfinished execution"))

        let reject = try DrctlRunner.run(["approve", "--state-dir", state, "start", "--reject", "--by", "bob"])
        #expect(reject.status == 0, "\(reject.stderr)")
        #expect(reject.stdout.contains("rejected by bob"))
        let result = try run.wait()
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Cancelled") && result.stdout.contains("gate start was rejected"))
        #expect(workspace.execution(state)?["status"]?["phase"] == "Cancelled")
        #expect(workspace.read(state, "simulation.json")?["effectsApplied"] == [:])
    }

    @Test func aGateApprovedFromAnotherShellLetsTheRunGoOn() async throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"]), ("app", ["api"])], pauseBefore: ["app"])
        let state = workspace.path("state")
        let run = try BackgroundDrctl(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", state,
                                       "--simulate", "--simulate-duration", "100ms"], in: workspace.root)
        let waiting = await eventually(within: 60) { workspace.execution(state)?["status"]?["phase"] == "AwaitingApproval" }
        #expect(waiting)
        let status = try DrctlRunner.run(["status", "--state-dir", state])
        #expect(status.stdout.contains("drctl approve --state-dir \(state) layer-app"))
        let approve = try DrctlRunner.run(["approve", "--state-dir", state, "layer-app"])
        #expect(approve.status == 0)
        let result = try run.wait()
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(workspace.resourceStates(state) == ["db": "Succeeded", "api": "Succeeded"])
        // Approving a finished run is refused.
        #expect(try DrctlRunner.run(["approve", "--state-dir", state, "layer-app"]).status == 1)
    }

    @Test func aScriptedFailureEndsFailedNamingTheResourceAndTheReason() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db", "cache"]), ("app", ["api"])])
        let state = workspace.path("state")
        let run = try DrctlRunner.run(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", state,
                                       "--simulate", "--simulate-duration", "100ms", "--simulate-fail", "cache=instance limit exceeded"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("Failed"))
        #expect(run.stdout.contains("cache (AutoScaling) failed [SimulatedFailure]: instance limit exceeded"))
        #expect(workspace.resourceStates(state) == ["db": "Succeeded", "cache": "Failed", "api": "Cancelled"])
    }

    @Test func theExamplePlanRehearsesWithItsReferencesLeftOpaque() throws {
        defer { workspace.remove() }
        let state = workspace.path("state")
        let run = try DrctlRunner.run(["run", "-f", "examples/payments-plan.yaml", "--phase", "Instantiate", "--mode", "Drill",
                                       "--state-dir", state, "--simulate", "--simulate-duration", "50ms"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(workspace.resourceStates(state).values.allSatisfy { ["Succeeded", "Skipped"].contains($0) })
    }

    @Test(arguments: [
        (["run"], "name the plan"),
        (["run", "-f", "plan.yaml", "--phase", "Instantiate"], "--phase and --mode are required"),
        (["run", "-f", "plan.yaml", "--phase", "Instantiat", "--mode", "Drill"], "did you mean Instantiate?"),
        (["run", "-f", "plan.yaml", "--phase", "Instantiate", "--mode", "Drill", "--simulate-duration", "1s"], "needs --simulate"),
        (["run", "-f", "plan.yaml", "--phase", "Instantiate", "--mode", "Drill", "--simulate", "--simulate-duration", "fast"], "invalid duration"),
        (["run", "-f", "plan.yaml", "--phase", "Instantiate", "--mode", "Drill", "--simulate", "--simulate-fail", "nope"], "does not have"),
        (["run", "-f", "plan.yaml", "--phase", "Instantiate", "--mode", "Drill", "--approve", "layer-nope"], "has no gate"),
        (["run", "-f", "missing.yaml", "--phase", "Instantiate", "--mode", "Drill"], "no such file"),
        (["run", "--state-dir", "nowhere"], "no such state directory"),
        (["status"], "--state-dir DIR"),
        (["approve", "--state-dir", "nowhere", "start"], "no such state directory"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String) throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])])
        let resolved = arguments.map { $0 == "plan.yaml" ? plan : $0 == "nowhere" || $0 == "missing.yaml" ? workspace.path($0) : $0 }
        let run = try DrctlRunner.run(resolved + (resolved.contains("-f") ? ["--state-dir", workspace.path("state")] : []))
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
