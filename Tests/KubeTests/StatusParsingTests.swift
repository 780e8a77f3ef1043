import Foundation
import Testing
@testable import HTTP
@testable import Kube

/// `Status` bodies and watch lines exactly as the real kube-apiserver sent them (kube-wire transcripts).
@Suite struct StatusParsingTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: KubeTestEnv.fixtures + "/\(name).txt")))
    }

    @Test(arguments: [
        ("02-create-duplicate", 409, KubeError.Reason.alreadyExists),
        ("03-get-missing", 404, .notFound),
        ("06-update-stale", 409, .conflict),
        ("07-update-without-rv", 422, .invalid),
        ("08-patch-strategic", 415, .unsupportedMediaType),
        ("14-json-patch-test-fails", 422, .invalid),
        ("18-apply-conflict", 409, .conflict),
    ])
    func statusBodiesBecomeTypedErrors(name: String, code: Int, reason: KubeError.Reason) throws {
        let error = KubeError.fromResponse(code: code, body: try Self.fixture(name))
        #expect(error.code == code)
        #expect(error.reason == reason)
        #expect(error.status?.message?.isEmpty == false)
    }

    @Test func invalidCarriesItsCauses() throws {
        let error = KubeError.fromResponse(code: 422, body: try Self.fixture("04-create-invalid-schema"))
        #expect(error.isInvalid)
        #expect(error.causes.map(\.field) == ["spec.color", "spec.size"])
        #expect(error.causes.map(\.reason) == ["FieldValueNotSupported", "FieldValueInvalid"])
        #expect(error.status?.details?.kind == "Widget")
    }

    @Test func nonStatusBodyFallsBackOnTheCode() {
        let error = KubeError.fromResponse(code: 503, body: Array("<html>bad gateway</html>".utf8))
        #expect(error.reason == .serviceUnavailable)
        #expect(KubeError.fromResponse(code: 410, body: []).isExpired)
    }

    /// managedFields are not built for a kind whose metadata is ObjectMeta (it never reads
    /// them), and kept for one that keeps the whole object.
    @Test func managedFieldsAreLeftOutOnlyWhereNothingReadsThem() throws {
        let line = try Self.fixture("25-watch-from-rv").split(separator: UInt8(ascii: "\n")).first.map(Array.init) ?? []
        guard case .modified(let dynamic) = try WatchEvent<DynamicObject>.decode(line: line),
              case .modified(let widget) = try WatchEvent<Widget>.decode(line: line) else {
            Issue.record("not a MODIFIED event"); return
        }
        #expect(dynamic["metadata"]?["managedFields"]?.arrayValue?.count == 1)
        #expect(widget.metadata == dynamic.metadata && widget.spec.size == 10)
        #expect(Widget.readsManagedFields == false && DynamicObject.readsManagedFields)
    }

    @Test func inStreamExpiredErrorIsThrownAsItsStatus() throws {
        let line = try Self.fixture("28-watch-too-old").split(separator: UInt8(ascii: "\n")).first.map(Array.init) ?? []
        #expect {
            _ = try WatchEvent<DynamicObject>.decode(line: line)
        } throws: { error in
            guard let error = error as? KubeError else { return false }
            return error.isExpired && error.code == 410 && error.status?.message == "too old resource version: 1 (196)"
        }
    }

    /// The transcript's watch body cut into chunks at every possible size: lines spanning chunks
    /// decode the same, and the BOOKMARK (which is not a whole object) decodes as a bookmark.
    @Test func watchLinesSurviveArbitraryChunking() async throws {
        let body = try Self.fixture("25-watch-from-rv")
        for size in [1, 2, 7, 64, 333, body.count] {
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            var offset = 0
            while offset < body.count {
                continuation.yield(Array(body[offset..<min(body.count, offset + size)]))
                offset += size
            }
            continuation.finish()
            var kinds: [String] = []
            for try await event in WatchStream<DynamicObject>(lines: HTTPBodyStream(chunks: stream).lines) {
                switch event {
                case .added(let o): kinds.append("ADDED \(o.resourceVersion ?? "")")
                case .modified(let o): kinds.append("MODIFIED \(o.resourceVersion ?? "")")
                case .deleted(let o): kinds.append("DELETED \(o.resourceVersion ?? "")")
                case .bookmark(let rv): kinds.append("BOOKMARK \(rv)")
                }
            }
            #expect(kinds == ["MODIFIED 207", "MODIFIED 208", "MODIFIED 209", "DELETED 210", "BOOKMARK 210"], "chunk size \(size)")
        }
    }

    @Test func tokenBucketAllowsBurstThenPaces() {
        var bucket = TokenBucket(rate: 5, burst: 10)
        let waits = (0..<12).map { _ in bucket.reserve(now: 0) }
        #expect(waits.prefix(10).allSatisfy { $0 == 0 })
        #expect(abs(waits[10] - 0.2) < 1e-9 && abs(waits[11] - 0.4) < 1e-9)
        #expect(bucket.reserve(now: 10) == 0, "refilled after a quiet period")
    }

    @Test func retryAfterAndPaths() {
        #expect(KubeClient.retryAfter("3") == .seconds(3))
        #expect(KubeClient.retryAfter("soon") == nil)
        #expect(KubeTestEnv.widgets.path(namespace: "ns", name: "a", subresource: "status")
            == "/apis/example.io/v1/namespaces/ns/widgets/a/status")
        #expect(Resource.namespaces.path(namespace: "x", name: "n") == "/api/v1/namespaces/n")
        #expect(KubeTestEnv.widgets.path(namespace: nil) == "/apis/example.io/v1/widgets")
    }
}
