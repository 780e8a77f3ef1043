import Foundation
import Testing
import YAML
@testable import Kube

/// The client against the test API server over real sockets.
@Suite(.serialized) struct KubeClientTests {
    let env: KubeTestEnv
    init() throws { env = try KubeTestEnv() }

    @Test func crudAndErrorMapping() async throws {
        let api = env.widgets()
        let created = try await api.create(KubeTestEnv.widget("a", size: 1))
        #expect(created.metadata.uid != nil && created.metadata.generation == 1)

        await #expect { try await api.create(KubeTestEnv.widget("a")) } throws: { ($0 as? KubeError)?.isAlreadyExists == true }
        await #expect { try await api.get("missing") } throws: { ($0 as? KubeError)?.isNotFound == true }
        #expect(try await api.getIfExists("missing") == nil)
        await #expect { try await api.create(KubeTestEnv.widget("bad", size: -1, color: "green")) } throws: {
            guard let error = $0 as? KubeError else { return false }
            return error.isInvalid && Set(error.causes.compactMap(\.field)) == ["spec.color", "spec.size"]
        }

        var changed = created
        changed.spec.size = 2
        let updated = try await api.update(changed)
        #expect(updated.metadata.generation == 2 && updated.metadata.resourceVersion != created.metadata.resourceVersion)
        await #expect { try await api.update(changed) } throws: { ($0 as? KubeError)?.isConflict == true }
        changed.metadata.resourceVersion = nil
        await #expect { try await api.update(changed) } throws: { ($0 as? KubeError)?.code == 422 }

        let dry = try await api.create(KubeTestEnv.widget("dry"), WriteOptions(dryRun: true))
        #expect(dry.name == "dry")
        #expect(try await api.getIfExists("dry") == nil, "dryRun stores nothing")

        await #expect {
            try await api.delete("a", DeleteOptions(preconditions: .init(resourceVersion: "1")))
        } throws: { ($0 as? KubeError)?.isConflict == true }
        let result = try await api.delete("a", DeleteOptions(propagationPolicy: .background))
        if case .pending = result { Issue.record("no finalizers: the object should be gone") }
        #expect(try await api.getIfExists("a") == nil)
    }

    @Test func patchesAndStatusSubresource() async throws {
        let api = env.widgets()
        _ = try await api.create(KubeTestEnv.widget("p", size: 1, color: "red"))
        let merged = try await api.patch("p", .merge(["metadata": ["annotations": ["a": "1"]], "spec": ["color": nil]]))
        #expect(merged.metadata.annotations?["a"] == "1" && merged.spec.color == nil)

        let patched = try await api.patch("p", .json([.test("/spec/size", 1), .replace("/spec/size", 5)]))
        #expect(patched.spec.size == 5)
        await #expect { try await api.patch("p", .json([.test("/spec/size", 1), .replace("/spec/size", 6)])) } throws: {
            ($0 as? KubeError)?.code == 422
        }

        let applied = try await api.patch("p", .apply(["apiVersion": "example.io/v1", "kind": "Widget",
                                                        "metadata": ["name": "p"], "spec": ["size": 7]],
                                                       fieldManager: "lifeboat", force: true))
        #expect(applied.spec.size == 7)

        // The CRD's status schema has only `state`: unknown fields would be pruned, as on a real server.
        let withStatus = try await api.patchStatus("p", .merge(["status": ["state": "Ready"], "spec": ["size": 99]]))
        #expect(withStatus.status?["state"] == "Ready" && withStatus.spec.size == 7, "/status ignores spec")
        #expect(withStatus.metadata.generation == applied.metadata.generation, "status writes keep generation")
        let main = try await api.patch("p", .merge(["status": ["state": "Nope"]]))
        #expect(main.status?["state"] == "Ready", "main resource ignores status")

        var object = try await api.getStatus("p")
        object.status = ["state": "Done"]
        #expect(try await api.updateStatus(object).status?["state"] == "Done")

        // Strategic merge is not for custom resources: 415, as the real server says.
        await #expect {
            _ = try await env.client.send(.patch, KubeTestEnv.widgets.path(namespace: "default", name: "p"),
                                          body: Array("{}".utf8), contentType: "application/strategic-merge-patch+json")
        } throws: { ($0 as? KubeError)?.reason == .unsupportedMediaType }
    }

    @Test func listPagesAndWatchWithBookmarks() async throws {
        let api = env.widgets()
        for i in 0..<5 { _ = try await api.create(KubeTestEnv.widget("l\(i)", labels: ["set": i < 3 ? "x" : "y"])) }
        let page = try await api.list(ListOptions(limit: 2))
        #expect(page.items.count == 2 && page.metadata.continue?.isEmpty == false)
        let all = try await api.listAll(ListOptions(limit: 2))
        #expect(all.items.map(\.name) == ["l0", "l1", "l2", "l3", "l4"])
        #expect(try await api.listAll(ListOptions(labelSelector: "set=x")).items.count == 3)
        let everywhere = env.widgets(nil)
        #expect(try await everywhere.list().items.count == 5)

        let stream = try await api.watch(WatchOptions(resourceVersion: all.metadata.resourceVersion, timeoutSeconds: 30))
        _ = try await api.patch("l0", .merge(["spec": ["size": 3]]))
        try await api.delete("l1")
        var seen: [String] = []
        for try await event in stream {
            switch event {
            case .modified(let o): seen.append("MODIFIED \(o.name)")
            case .deleted(let o): seen.append("DELETED \(o.name)")
            case .added(let o): seen.append("ADDED \(o.name)")
            case .bookmark: continue
            }
            if seen.count == 2 { break }
        }
        #expect(seen == ["MODIFIED l0", "DELETED l1"])
    }

    @Test func compactedHistoryIsATypedExpiredError() async throws {
        let api = env.widgets()
        let first = try await api.create(KubeTestEnv.widget("c0"))
        _ = try await api.create(KubeTestEnv.widget("c1"))
        _ = try env.server.control("POST", "/testenv/compact")
        let stream = try await api.watch(WatchOptions(resourceVersion: first.resourceVersion))
        await #expect { for try await _ in stream {} } throws: { ($0 as? KubeError)?.isExpired == true }
    }

    @Test func readsRetry429AndWritesDoNot() async throws {
        let api = env.widgets()
        _ = try await api.create(KubeTestEnv.widget("r"))
        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "get", "status": 429, "retryAfterSeconds": 0, "count": 2])
        #expect(try await api.get("r").name == "r", "a GET survives two 429s")
        _ = try env.server.control("POST", "/testenv/faults", body: ["verb": "patch", "status": 503, "count": 1])
        await #expect { try await api.patch("r", .merge(["spec": ["size": 2]])) } throws: {
            ($0 as? KubeError)?.reason == .serviceUnavailable
        }
    }
}
