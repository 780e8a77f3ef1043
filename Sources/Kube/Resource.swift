/// Where a kind lives on the API server: group, version and plural name, and whether objects
/// are namespaced. Enough to build every URL; no discovery needed.
public struct Resource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var plural: String
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `drplans.lifeboat.dev`, as the server names resources in messages.
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// `/api/v1` for the core group, `/apis/G/V` otherwise.
    var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The collection path: in one namespace, or across all namespaces when `namespace` is nil.
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = groupVersionPath
        if namespaced, let namespace { path += "/namespaces/\(PercentEncoding.pathSegment(namespace))" }
        path += "/\(plural)"
        if let name { path += "/\(PercentEncoding.pathSegment(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    public static let leases = Resource(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease")
    public static let events = Resource(group: "events.k8s.io", version: "v1", plural: "events", kind: "Event")
    public static let coreEvents = Resource(group: "", version: "v1", plural: "events", kind: "Event")
    public static let namespaces = Resource(group: "", version: "v1", plural: "namespaces", kind: "Namespace",
                                            namespaced: false)
}

/// RFC 3986 percent-encoding for the pieces of a Kubernetes URL.
enum PercentEncoding {
    private static func encode(_ text: String, keeping allowed: (UInt8) -> Bool) -> String {
        // Names and namespaces rarely need an escape: then the text is its own encoding.
        if text.utf8.allSatisfy(allowed) { return text }
        var out = ""
        for byte in text.utf8 {
            if allowed(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    private static func unreserved(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E
            || b == 0x5F || b == 0x7E
    }

    static func pathSegment(_ text: String) -> String { encode(text, keeping: { unreserved($0) || $0 == 0x3A }) }
    static func queryValue(_ text: String) -> String { encode(text, keeping: unreserved) }

    static func query(_ items: [(String, String)]) -> String {
        items.isEmpty ? "" : "?" + items.map { "\(queryValue($0.0))=\(queryValue($0.1))" }.joined(separator: "&")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
