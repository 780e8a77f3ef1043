import LifeboatAPI
import Testing

/// KEP-1623: lastTransitionTime moves only when the status flips.
@Suite struct ConditionTests {
    let t0 = Timestamp(secondsSinceEpoch: 1_000)
    let t1 = Timestamp(secondsSinceEpoch: 2_000)
    let t2 = Timestamp(secondsSinceEpoch: 3_000)

    @Test func addingAConditionStampsIt() {
        var conditions: [Condition] = []
        let added = conditions.set("Reconciling", .true, reason: "Running", message: "layer data", now: t0)
        #expect(added)
        #expect(conditions[type: "Reconciling"]?.lastTransitionTime == t0)
        #expect(conditions.isTrue("Reconciling"))
    }

    @Test func sameStatusKeepsTheTransitionTimeButUpdatesTheText() {
        var conditions: [Condition] = []
        conditions.set("Reconciling", .true, reason: "Running", message: "layer data", observedGeneration: 1, now: t0)
        let changed = conditions.set("Reconciling", .true, reason: "Running", message: "layer compute", observedGeneration: 2, now: t1)
        #expect(changed)
        let condition = conditions[type: "Reconciling"]
        #expect(condition?.lastTransitionTime == t0)
        #expect(condition?.message == "layer compute")
        #expect(condition?.observedGeneration == 2)
    }

    @Test func aFlipMovesTheTransitionTime() {
        var conditions: [Condition] = []
        conditions.set("Succeeded", .unknown, reason: "Running", message: "", now: t0)
        conditions.set("Succeeded", .true, reason: "Succeeded", message: "all 12 resources succeeded", now: t2)
        #expect(conditions[type: "Succeeded"]?.lastTransitionTime == t2)
        #expect(conditions.count == 1)
    }

    @Test func anIdenticalSetIsANoOp() {
        var conditions: [Condition] = []
        conditions.set("Paused", .false, reason: "Running", message: "", now: t0)
        let before = conditions
        let changed = conditions.set("Paused", .false, reason: "Running", message: "", now: t1)
        #expect(!changed)
        #expect(conditions == before)
    }

    @Test func removeDropsOnlyThatType() {
        var conditions: [Condition] = []
        conditions.set("A", .true, reason: "R", message: "", now: t0)
        conditions.set("B", .true, reason: "R", message: "", now: t0)
        let removed = conditions.remove("A")
        let removedAgain = conditions.remove("A")
        #expect(removed && !removedAgain)
        #expect(conditions.map(\.type) == ["B"])
    }
}
