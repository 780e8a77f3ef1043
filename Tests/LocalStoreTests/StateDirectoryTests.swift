import Engine
import EngineTesting
import Foundation
import LifeboatAPI
import LocalStore
import Testing

@Suite struct StateDirectoryTests {
    @Test func anAtomicWriteReplacesTheWholeFileAndLeavesNoTemporaryBehind() throws {
        let directory = Local.temporaryDirectory()
        let path = directory + "/state.json"
        try AtomicFile.write("first version, rather long\n", to: path)
        try AtomicFile.write("second\n", to: path)
        #expect(try AtomicFile.readText(path) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["state.json"])
        #expect(try AtomicFile.readText(directory + "/absent") == nil)
    }

    @Test func temporariesOfWritersThatDiedAreClearedWhenARunClaimsTheDirectory() throws {
        let store = StateDirectory(Local.temporaryDirectory())
        // pid 2^22+1 is above Linux's pid_max: no such writer is alive.
        let stale = store.file(".execution.yaml.tmp-4194305-1")
        try AtomicFile.write("half", to: stale)
        let lock = try store.acquireRunLock()
        defer { lock.unlock() }
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test func theRunLockLetsOneRunInAndNamesItsHolderToTheNext() throws {
        let store = StateDirectory(Local.temporaryDirectory())
        #expect(store.runHolder == nil)
        let lock = try store.acquireRunLock()
        #expect(store.runHolder == getpid())
        #expect {
            _ = try store.acquireRunLock()
        } throws: { error in
            guard let error = error as? LocalStoreError else { return false }
            return error.kind == .locked(holder: getpid()) && error.message.contains("pid \(getpid())")
        }
        lock.unlock()
        #expect(store.runHolder == nil)
        let again = try store.acquireRunLock()
        again.unlock()
    }

    @Test func theExecutionReadsBackAsWrittenAndStatusWritesKeepNewerAnnotations() throws {
        let store = StateDirectory(Local.temporaryDirectory())
        var execution = Local.execution(annotations: [LifeboatAnnotation.createdBy: "test"])
        var status = DRExecutionStatus()
        status.phase = .running
        status.layers = [LayerStatus(name: "data", state: .running, resources: [ResourceStatus(name: "db", module: .ec2, state: .starting)])]
        execution.status = status
        try store.createExecution(execution)
        #expect(try store.readExecution() == execution)

        // drctl approve writes between the runner's read and its next status write.
        try store.annotate { current in LocalRequests.deciding(["start"], approve: true, in: current, by: "alice") }
        status.phase = .succeeded
        let (written, signature) = try store.writeStatus(status)
        #expect(written.status?.phase == .succeeded)
        #expect(written.metadata.annotations == [LifeboatAnnotation.createdBy: "test", LifeboatAnnotation.approve: "start",
                                                  LifeboatAnnotation.approvedBy: "alice"])
        #expect(signature == FileSignature(store.executionPath))
        #expect(try store.readExecution() == written)
    }

    @Test func gateListsMergeWithoutRepeats() {
        #expect(LocalRequests.merged("start, layer-app", adding: ["layer-app,layer-edge", "start"]) == "start,layer-app,layer-edge")
        #expect(LocalRequests.merged(nil, adding: [" start "]) == "start")
        let changes = LocalRequests.deciding(["layer-app"], approve: false, in: [LifeboatAnnotation.reject: "start"], by: nil)
        #expect(changes == [LifeboatAnnotation.reject: "start,layer-app"])
        let plan = Local.plan([("data", ["db"]), ("app", ["api"])], pauseBefore: ["app"])
        #expect(LocalRequests.gates(of: plan.spec) == ["start", "layer-app"])
    }

    @Test func planStateRoundTripsAndEventsAppend() throws {
        let store = StateDirectory(Local.temporaryDirectory())
        #expect(try store.readPlanState() == PlanState())
        var state = PlanState()
        state.apply([.claim(execution: "run-1")])
        #expect(state.activeExecution == "run-1")
        state.apply([.release(execution: "run-1", record: LastExecution(phase: .activate, mode: .recovery, name: "run-1",
                                                                          direction: .failover, result: .succeeded,
                                                                          completionTime: Timestamp(secondsSinceEpoch: 1_800_000_000)),
                              activeRegion: "us-west-2")])
        try store.writePlanState(state)
        #expect(try store.readPlanState() == state)
        #expect(state.activeExecution == nil && state.activeRegion == "us-west-2")

        let time = Timestamp(secondsSinceEpoch: 1_800_000_000)
        try store.appendEvents([EngineEvent(.normal, .executionStarted, "one")], execution: "run-1", at: time)
        try store.appendEvents([EngineEvent(.warning, .resourceFailed, "two \"quoted\"", subject: "db")], execution: "run-1", at: time)
        let lines = try #require(try AtomicFile.readText(store.eventsPath)).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1] == #"{"time":"2027-01-15T08:00:00Z","execution":"run-1","type":"Warning","reason":"ResourceFailed","message":"two \"quoted\"","subject":"db"}"#)
    }
}

/// Damaged state files are refused with the file's path, what is wrong and what to do: never
/// read into shape, never a crash.
@Suite struct DamagedStateTests {
    @Test func aDamagedExecutionNamesItsFileAndTheWayOut() throws {
        let store = StateDirectory(Local.temporaryDirectory())
        try AtomicFile.write("metadata: {name: run-1\nspec: [\n", to: store.executionPath)
        let error = try #require(throws: LocalStoreError.self) { try store.readExecution() }
        #expect(error.kind == .corrupt)
        #expect(error.message.hasPrefix("\(store.executionPath) is damaged (it does not hold a DRExecution: "))
        #expect(error.message.contains("(mv \(store.executionPath) \(store.executionPath).damaged)"))
        #expect(error.message.hasSuffix("check in AWS what it had started before running the phase again"))
    }

    @Test func damagedPlanStateNamesItsFileAndWhatIsLost() throws {
        let store = StateDirectory(Local.temporaryDirectory())
        try AtomicFile.write("{\"activeExecution\": ", to: store.planStatePath)
        let error = try #require(throws: LocalStoreError.self) { try store.readPlanState() }
        #expect(error.kind == .corrupt)
        #expect(error.message.hasPrefix("\(store.planStatePath) is damaged (it does not hold plan state: "))
        #expect(error.message.hasSuffix("so a Recovery Cleanup or Replicate needs --override-guards"))
    }

    @Test func theSimulationJournalDropsAChangeCutShortButRefusesOneDamagedEarlier() throws {
        let store = StateDirectory(Local.temporaryDirectory())
        let path = store.file("simulation.json")
        let cloud = try Local.journaledCloud(store)
        let ledger = cloud.ledger
        // A crash mid-append leaves a partial last line: that change never completed.
        try AtomicFile.append("{\"key\":\"uid-run-1/db\",\"resou", to: path, sync: false)
        #expect(try Local.journaledCloud(store).ledger == ledger)
        // Opening compacted the journal to one line; a damaged line before the last is refused.
        try AtomicFile.append("not json\n{\"key\":\"k\",\"resource\":\"db\",\"nextID\":7}\n", to: path, sync: false)
        let error = try #require(throws: SimulatedCloud.JournalDamaged.self) { try Local.journaledCloud(store) }
        #expect(error.line == 2)
        #expect(error.description.hasPrefix("line 2 is not a change of the simulated cloud: "))
    }
}
