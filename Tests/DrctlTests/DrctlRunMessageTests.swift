import TestSupport
import Foundation
import Testing
import YAML

/// What `drctl run` and the commands around it tell a person: hints that work when followed,
/// machine-readable output that stays machine-readable, damaged state files named with a way out.
@Suite struct DrctlRunMessageTests {
    let workspace: RunWorkspace

    init() throws { workspace = try RunWorkspace() }

    func rehearse(_ plan: String, state: String, phase: String = "Instantiate", mode: String = "Drill", duration: String = "50ms",
                  _ extra: [String] = [], argv0: String? = nil) throws -> DrctlResult {
        try DrctlRunner.run(["run", "-f", plan, "--phase", phase, "--mode", mode, "--state-dir", state,
                             "--simulate", "--simulate-duration", duration] + extra, argv0: argv0)
    }

    /// A rehearsal waiting at gate start, killed: unfinished, and no drctl run drives it.
    func abandonedRehearsal(_ state: String, layers: [(String, [String])] = [("data", ["db"])], pauseBefore: Set<String> = []) async throws {
        let plan = try workspace.plan(layers, pauseBefore: pauseBefore, startGate: true)
        let run = try BackgroundDrctl(["run", "-f", plan, "--phase", "Instantiate", "--mode", "Drill", "--state-dir", state,
                                       "--simulate", "--simulate-duration", "50ms"], in: workspace.root)
        let waiting = await eventually(within: 60) { workspace.execution(state)?["status"]?["phase"] == "AwaitingApproval" }
        #expect(waiting, "\(run.stderrSoFar)")
        run.signal(SIGKILL)
        _ = try run.wait()
    }

    // MARK: progress (issue 11 C)

    @Test func eachPollLogsTheModulesProgressMessage() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])])
        let run = try rehearse(plan, state: workspace.path("state"), duration: "400ms", ["--log-format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let progress = run.stderr.split(separator: "\n").filter { $0.contains("\"reason\":\"ResourceProgress\"") }
        #expect(!progress.isEmpty, "\(run.stderr)")
        let line = try YAML.parseDocument(String(progress.first ?? "")).value
        #expect(line["level"] == "info")
        #expect(line["layer"] == "data" && line["subject"] == "db")
        #expect(line["msg"]?.stringValue?.hasPrefix("db (EC2): op-") == true, "\(line)")
        // The same message is not repeated poll after poll.
        #expect(Set(progress).count == progress.count)
    }

    // MARK: D1–D4: hints that work

    @Test func statusOfAGuardRefusedRunSaysWhatWillWork() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])])
        let state = workspace.path("state")
        let run = try rehearse(plan, state: state, phase: "Cleanup", mode: "Recovery", ["--log-format", "text"])
        #expect(run.status == 1)
        #expect(!run.stderr.contains("annotate lifeboat.dev/override-guards"), "\(run.stderr)")
        #expect(run.stderr.contains("to run it anyway: drctl run --state-dir \(state) --simulate --override-guards \"<why>\" (the reason is recorded in status)"), "\(run.stderr)")
        let status = try DrctlRunner.run(["status", "--state-dir", state])
        #expect(!status.stdout.contains("continue it with"), "\(status.stdout)")
        #expect(!status.stdout.contains("annotate lifeboat.dev/override-guards"), "\(status.stdout)")
        #expect(status.stdout.contains("the phase-order guard refused this run: fix what it names (run the Activate first), or run it anyway with: drctl run --state-dir \(state) --simulate --override-guards \"<why>\""), "\(status.stdout)")
        let anyway = try DrctlRunner.run(["run", "--state-dir", state, "--simulate", "--override-guards", "rehearsing the cleanup"])
        #expect(anyway.status == 0, "\(anyway.stdout)\(anyway.stderr)")
    }

    @Test func aRehearsalsResumeHintSaysSimulate() async throws {
        defer { workspace.remove() }
        let state = workspace.path("state")
        try await abandonedRehearsal(state)
        let status = try DrctlRunner.run(["status", "--state-dir", state])
        #expect(status.stdout.contains("no drctl run drives it now: continue it with drctl run --state-dir \(state) --simulate"), "\(status.stdout)")
    }

    @Test func hintsNameTheRealStateDirectoryNotDIR() async throws {
        defer { workspace.remove() }
        let state = workspace.path("state")
        try await abandonedRehearsal(state)
        let contradicting = try DrctlRunner.run(["run", "--state-dir", state, "--phase", "Activate", "--simulate"])
        #expect(contradicting.status == 2)
        #expect(contradicting.stderr.contains("cancel it with `drctl cancel --state-dir \(state)`"), "\(contradicting.stderr)")
        #expect(!contradicting.stderr.contains("DIR"))

        let failed = workspace.path("failed")
        let plan = try workspace.plan([("data", ["db"])])
        _ = try rehearse(plan, state: failed, ["--simulate-fail", "db"])
        let retry = try DrctlRunner.run(["retry", "--state-dir", failed])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("run drctl run --state-dir \(failed) --simulate if none does"), "\(retry.stdout)")
        #expect(!retry.stdout.contains("DIR"))
    }

    @Test func underKubectlTheHintsSayKubectlDr() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])])
        let state = workspace.path("state")
        let run = try rehearse(plan, state: state, phase: "Cleanup", mode: "Recovery", ["--log-format", "text"], argv0: "kubectl-dr")
        #expect(run.stderr.contains("kubectl dr run --state-dir \(state) --simulate --override-guards"), "\(run.stderr)")
        let status = try DrctlRunner.run(["status", "--state-dir", state], argv0: "kubectl-dr")
        #expect(status.stdout.contains("kubectl dr run --state-dir \(state) --simulate --override-guards"), "\(status.stdout)")
        #expect(!status.stdout.contains("drctl run") && !status.stdout.contains("drctl approve"), "\(status.stdout)")
        let finished = workspace.path("finished")
        let done = try rehearse(plan, state: finished, argv0: "kubectl-dr")
        #expect(done.stdout.contains("Details: kubectl dr status --state-dir \(finished)"), "\(done.stdout)")
    }

    // MARK: D5, D15: machine-readable output

    @Test func withJSONLogsEveryLineOnStandardErrorIsJSON() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])], startGate: true)
        let state = workspace.path("state")
        let run = try rehearse(plan, state: state, ["--log-format", "json", "--yes"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count > 3)
        for line in lines {
            #expect((try? JSONParser.parse(String(line)))?["msg"] != nil, "not a JSON log line: \(line)")
        }
        #expect(run.stderr.contains("--yes: every gate (start) is approved without asking"))
        // A refusal too.
        let refused = try DrctlRunner.run(["run", "--state-dir", state, "--phase", "Activate", "--simulate", "--log-format", "json"])
        #expect(refused.status == 0 || refused.status == 1 || refused.status == 2)
        for line in refused.stderr.split(separator: "\n") {
            #expect((try? JSONParser.parse(String(line)))?["msg"] != nil, "not a JSON log line: \(line)")
        }
    }

    @Test func runPrintsItsOutcomeAsOneJSONObject() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db", "cache"])])
        let state = workspace.path("state")
        let run = try rehearse(plan, state: state, ["-o", "json", "--simulate-fail", "cache=no capacity"])
        #expect(run.status == 1, "\(run.stderr)")
        let outcome = try JSONParser.parse(run.stdout)
        #expect(outcome["execution"]?.stringValue?.hasPrefix("shop-instantiate-") == true)
        #expect(outcome["phase"] == "Instantiate" && outcome["mode"] == "Drill" && outcome["result"] == "Failed")
        #expect(outcome["stateDirectory"]?.stringValue == state)
        let resources = outcome["layers"]?[0]?["resources"]?.arrayValue ?? []
        #expect(resources.count == 2)
        #expect(resources.first { $0["name"] == "cache" }?["state"] == "Failed")
        #expect(resources.first { $0["name"] == "cache" }?["errorCode"] == "SimulatedFailure")
        #expect(resources.first { $0["name"] == "db" }?["state"] == "Succeeded")
    }

    // MARK: D6, D7: damaged state files

    @Test func aCorruptStateFileIsNamedWithARecoveryHintAndNothingIsMoved() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])])
        let state = workspace.path("state")
        #expect(try rehearse(plan, state: state).status == 0)
        try "{\"lastExecutions\": [".write(toFile: "\(state)/plan-state.json", atomically: true, encoding: .utf8)
        let next = try rehearse(plan, state: state, phase: "Activate")
        #expect(next.status == 1)
        #expect(next.stderr.contains("\(state)/plan-state.json is damaged"), "\(next.stderr)")
        #expect(next.stderr.contains("restore it from a backup, or move it aside (mv \(state)/plan-state.json \(state)/plan-state.json.damaged)"), "\(next.stderr)")
        // The finished run stays where it was: nothing moved to history/ before the failure.
        #expect(workspace.execution(state)?["spec"]?["phase"] == "Instantiate")
        #expect(!FileManager.default.fileExists(atPath: "\(state)/history"))
    }

    @Test func aTruncatedEventLogGetsTheNextEventOnANewLine() throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])])
        let state = workspace.path("state")
        #expect(try rehearse(plan, state: state).status == 0)
        let log = "\(state)/events.log"
        let text = try String(contentsOfFile: log, encoding: .utf8)
        try String(text.dropLast(20)).write(toFile: log, atomically: true, encoding: .utf8)  // a crash mid-line
        #expect(try rehearse(plan, state: state, ["--new"]).status == 0)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let unreadable = lines.filter { (try? JSONParser.parse(String($0))) == nil }
        #expect(unreadable.count == 1, "only the truncated line: \(unreadable)")
        // The new run's first Event is whole, not glued to the partial line.
        #expect(lines.filter { (try? JSONParser.parse(String($0)))?["reason"] == "ExecutionStarted" }.count == 2)
    }

    // MARK: D8, D13: requests

    @Test func unknownGatesAndAnnotationsAreReported() async throws {
        defer { workspace.remove() }
        let plan = try workspace.plan([("data", ["db"])])
        let empty = try rehearse(plan, state: workspace.path("empty"), ["--approve", ""])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("--approve needs at least one gate, e.g. --approve start"), "\(empty.stderr)")

        let state = workspace.path("state")
        try await abandonedRehearsal(state)
        var text = try String(contentsOfFile: "\(state)/execution.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "  annotations:\n", with: "  annotations:\n    lifeboat.dev/approve: bogus-gate\n    lifeboat.dev/aprove: start\n")
        try text.write(toFile: "\(state)/execution.yaml", atomically: true, encoding: .utf8)
        let resumed = try BackgroundDrctl(["run", "--state-dir", state, "--simulate", "--log-format", "text"], in: workspace.root)
        let warned = await eventually(within: 60) {
            resumed.stderrSoFar.contains("lifeboat.dev/approve names gate \"bogus-gate\", which this execution does not have (its gates: start)")
                && resumed.stderrSoFar.contains("unknown annotation lifeboat.dev/aprove is ignored (did you mean lifeboat.dev/approve?)")
        }
        #expect(warned, "\(resumed.stderrSoFar)")
        #expect(try DrctlRunner.run(["approve", "--state-dir", state, "start"]).status == 0)
        #expect(try resumed.wait().status == 0)
    }

    @Test func approvingAGateTwiceInOneListEchoesItOnce() async throws {
        defer { workspace.remove() }
        let state = workspace.path("state")
        try await abandonedRehearsal(state, layers: [("data", ["db"]), ("app", ["api"])], pauseBefore: ["app"])
        let approve = try DrctlRunner.run(["approve", "--state-dir", state, "start,layer-app,start", "--by", "alice"])
        #expect(approve.status == 0, "\(approve.stderr)")
        #expect(approve.stdout.contains("gates start, layer-app approved by alice for execution"), "\(approve.stdout)")
    }
}
