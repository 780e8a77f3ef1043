import Foundation
import TestSupport
import Testing
import Kube
@testable import ControllerRuntime

/// Every change reaches the handlers — not only "never twice" — across forced watch drops,
/// clean ends, in-stream 410s, compaction and relists, including deletions made while no watch
/// was open. The handlers' view (built from events alone) must end each round equal to the
/// server's list, object by object and resourceVersion by resourceVersion.
@Suite(.serialized) struct InformerCompletenessTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv() }

    enum Disruption: CaseIterable { case none, drop, end, expire, compactAndExpire, blackoutWithCompaction }

    @Test(arguments: [UInt64(0x5EED_0001), 0x5EED_0002])
    func everyChangeIsDeliveredAcrossDropsAndRelists(seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        let api = env.widgets()
        let view = HandlerView()
        let informer = Informer(api: api, pageSize: 4) { event in await view.apply(event) }
        let task = Task { await informer.run() }
        defer { task.cancel() }
        #expect(await informer.waitForSync())
        let names = (0..<8).map { "c\($0)" }

        for round in 0..<15 {
            let disruption = random.pick(Disruption.allCases)
            switch disruption {
            case .none: break
            case .drop: _ = try env.server.control("POST", "/testenv/watches?mode=drop")
            case .end: _ = try env.server.control("POST", "/testenv/watches?mode=end")
            case .expire: _ = try env.server.control("POST", "/testenv/watches?mode=expire")
            case .compactAndExpire, .blackoutWithCompaction:
                // Blackout: the next watch waits before it opens, so the changes below happen
                // with no watch open; compaction then forces a relist that must find them.
                if disruption == .blackoutWithCompaction {
                    _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "watch", "delayMs": 300, "count": 1])
                    _ = try env.server.control("POST", "/testenv/watches?mode=end")
                }
            }
            for _ in 0..<random.int(1...6) {
                let name = random.pick(names)
                let existing = try await api.getIfExists(name)
                switch (existing, random.int(0...2)) {
                case (nil, _): _ = try await api.create(KubeTestEnv.widget(name, size: random.int(0...99)))
                case (.some, 0): try await api.delete(name)
                case (.some, 1): _ = try await api.patch(name, .merge(["spec": ["size": .int(random.int(0...99))]]))
                case (.some, _): _ = try await api.patchStatus(name, .merge(["status": ["state": .string("s\(round)")]]))
                }
            }
            if disruption == .compactAndExpire || disruption == .blackoutWithCompaction {
                _ = try env.server.control("POST", "/testenv/compact")
                if disruption == .compactAndExpire { _ = try env.server.control("POST", "/testenv/watches?mode=expire") }
            }
            let server = Dictionary(uniqueKeysWithValues: try await api.list().items.map { ($0.name, $0.resourceVersion ?? "") })
            let converged = await eventually(within: 30) { await view.versions == server }
            let seen = await view.versions
            #expect(converged, "seed \(seed) round \(round) (\(disruption)): view \(seen) server \(server)")
            if !converged { return }
        }
        #expect(await view.duplicates == [], "seed \(seed)")
        let cached = Dictionary(uniqueKeysWithValues: await informer.store.list().map { ($0.name, $0.resourceVersion ?? "") })
        let seen = await view.versions
        #expect(cached == seen)
    }
}

/// What a consumer knows from the events alone.
actor HandlerView {
    private(set) var versions: [String: String] = [:]
    private var delivered: Set<String> = []
    private(set) var duplicates: [String] = []

    func apply(_ event: InformerEvent<Widget>) {
        switch event {
        case .applied(let object, _):
            versions[object.name] = object.resourceVersion ?? ""
            note("applied \(object.name)@\(object.resourceVersion ?? "")")
        case .deleted(let object):
            versions[object.name] = nil
            note("deleted \(object.name)@\(object.resourceVersion ?? "")")
        }
    }

    private func note(_ id: String) { if !delivered.insert(id).inserted { duplicates.append(id) } }
}
