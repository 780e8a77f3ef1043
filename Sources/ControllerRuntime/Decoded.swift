import Kube
import YAML

/// An object as the informer reads it: either a `T`, or — when this version of the object does
/// not decode as `T` (a field this build does not know, a value out of its range) — just enough
/// of it to name it and say why. Decoding each item on its own is what lets one poisoned object
/// be skipped instead of failing the whole LIST or watch (see `Informer`).
public struct Decoded<T: KubeObject>: KubeObject {
    public enum Content: Sendable {
        case object(T)
        case undecodable(UndecodableObject)
    }

    public let content: Content

    public var metadata: ObjectMeta {
        get {
            switch content {
            case .object(let object): object.metadata
            case .undecodable(let failure): failure.metadata
            }
        }
        set {}  // read-only view: the informer never writes it back
    }

    public var object: T? { if case .object(let object) = content { object } else { nil } }

    public static var readsManagedFields: Bool { T.readsManagedFields }

    public init(from decoder: any Decoder) throws {
        do {
            content = .object(try T(from: decoder))
        } catch let error as DecodingError {
            // The same decoder, read again for identity only: metadata alone, itself tolerant.
            let identity = try? IdentityOnly(from: decoder)
            content = .undecodable(UndecodableObject(metadata: identity?.metadata ?? ObjectMeta(), error: error,
                                                     below: decoder.codingPath.count))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch content {
        case .object(let object): try object.encode(to: encoder)
        case .undecodable(let failure): try ["metadata": failure.metadata].encode(to: encoder)
        }
    }

    private struct IdentityOnly: Decodable {
        var metadata: ObjectMeta?
    }
}

/// An object version that did not decode: its identity and the decoding error, with the path
/// to the offending field (`status.state`), for the log line that tells someone what to fix.
public struct UndecodableObject: Sendable, CustomStringConvertible {
    public let metadata: ObjectMeta
    /// The field path where decoding failed, e.g. `spec.items[2].name`.
    public let path: String
    public let reason: String

    /// `below`: how many leading path elements belong to the enclosing document (`items[3]`, `object`).
    init(metadata: ObjectMeta, error: DecodingError, below: Int = 0) {
        self.metadata = metadata
        let (context, reason): (DecodingError.Context?, String) = switch error {
        case .typeMismatch(let type, let context): (context, "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context): (context, "missing \(type): \(context.debugDescription)")
        case .keyNotFound(let key, let context): (context, "missing field \"\(key.stringValue)\"")
        // The description would quote the value, and a value may be a secret: say only what is wrong.
        case .dataCorrupted(let context): (context, "a value this type does not accept")
        @unknown default: (nil, "\(error)")
        }
        var path = ""
        for key in (context?.codingPath ?? []).dropFirst(below) {
            if let index = key.intValue { path += "[\(index)]" } else { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        if case .keyNotFound(let key, _) = error { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path.isEmpty ? "(object)" : path): \(reason)" }
}
