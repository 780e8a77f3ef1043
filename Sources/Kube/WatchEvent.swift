import HTTP

/// One change from a watch. ERROR lines never become events: the stream throws their Status.
public enum WatchEvent<T: KubeObject>: Sendable {
    case added(T)
    case modified(T)
    case deleted(T)
    /// Progress: nothing changed up to this resourceVersion (resume from it after a drop).
    case bookmark(resourceVersion: String)

    /// Decodes one line of a watch, `{"type":…,"object":{…}}`, in one pass.
    public static func decode(line: [UInt8]) throws -> WatchEvent<T> {
        let wire: WatchLine<T>
        do { wire = try KubeJSON.decode(WatchLine<T>.self, from: line, of: T.self) } catch {
            throw KubeError.decoding("watch event: \(error)")
        }
        switch wire {
        case .event(let event): return event
        case .error(let status): throw KubeError.api(status)
        }
    }
}

private enum WatchLine<T: KubeObject>: Decodable {
    case event(WatchEvent<T>)
    case error(KubeStatus)

    enum CodingKeys: String, CodingKey { case type, object }
    struct Bookmark: Decodable {
        struct Meta: Decodable { var resourceVersion: String? }
        var metadata: Meta
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": self = .event(.added(try container.decode(T.self, forKey: .object)))
        case "MODIFIED": self = .event(.modified(try container.decode(T.self, forKey: .object)))
        case "DELETED": self = .event(.deleted(try container.decode(T.self, forKey: .object)))
        // A bookmark's object is only a kind and a resourceVersion: it does not decode as T.
        case "BOOKMARK":
            let bookmark = try container.decode(Bookmark.self, forKey: .object)
            self = .event(.bookmark(resourceVersion: bookmark.metadata.resourceVersion ?? ""))
        case "ERROR":
            var status = (try? container.decode(KubeStatus.self, forKey: .object))
                ?? KubeStatus(code: 500, reason: nil, message: "watch ERROR without a Status")
            if status.code == nil { status.code = 500 }
            self = .error(status)
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown watch event type \(type)")
        }
    }
}

/// The events of one watch, decoded line by line as chunks arrive (a line may span chunks).
public struct WatchStream<T: KubeObject>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<T>
    let lines: HTTPBodyLines

    public struct AsyncIterator: AsyncIteratorProtocol {
        var lines: HTTPBodyLines.AsyncIterator

        public mutating func next() async throws -> WatchEvent<T>? {
            while let line = try await lines.next() {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }  // keep-alive blank lines
                return try WatchEvent<T>.decode(line: line)
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(lines: lines.makeAsyncIterator()) }
}
