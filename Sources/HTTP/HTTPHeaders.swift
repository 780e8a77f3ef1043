/// An ordered list of header fields. Names compare case-insensitively, as HTTP says; the
/// original spelling and order are kept because a signature (SigV4) or a proxy may care.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}
    public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        get { fields.first { Self.sameName($0.name, name) }?.value }
        set {
            remove(name)
            if let newValue { fields.append((name: name, value: newValue)) }
        }
    }

    /// Every value of `name`, in order (Set-Cookie style repeated fields).
    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.sameName($0.name, name) }
    }

    /// ASCII case-insensitive comparison without allocating (header names are ASCII tokens);
    /// every request looks several names up.
    static func sameName(_ a: String, _ b: String) -> Bool {
        var a = a
        return a.withUTF8 { sameName($0, b) }
    }

    /// The same comparison for a name still in the bytes it arrived in.
    static func sameName(_ x: UnsafeBufferPointer<UInt8>, _ b: String) -> Bool {
        var b = b
        return b.withUTF8 { y in
            guard x.count == y.count else { return false }
            for i in 0..<x.count where x[i] != y[i] {
                let lower = x[i] | 0x20  // equal only as two cases of one ASCII letter
                guard lower == y[i] | 0x20, lower >= 0x61, lower <= 0x7A else { return false }
            }
            return true
        }
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }
    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields { hasher.combine(field.name); hasher.combine(field.value) }
    }
}
