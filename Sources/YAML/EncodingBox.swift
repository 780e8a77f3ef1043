/// A mutable slot an Encodable writes into. Encoder containers are handed out by value but must
/// write into shared storage (nested containers, superEncoder), so the tree under construction
/// is made of these references and turned into a JSONValue once encoding is done.
final class EncodingBox {
    enum Content {
        /// Nothing encoded yet. Resolves to `{}`, as JSONEncoder does for a value that encodes nothing.
        case empty
        case value(JSONValue)
        case object(ObjectSlots)
        case array([EncodingBox])
    }

    /// An object's children in the order they were first written. Most objects have a handful
    /// of keys, found faster by a look along the list than by hashing; an index by name is
    /// built once an object grows past that (a large map would otherwise cost n² compares).
    struct ObjectSlots {
        var keys: [String] = []
        var boxes: [EncodingBox] = []
        var index: [String: Int]?

        static let linearLimit = 12

        func position(of key: String) -> Int? {
            if let index { return index[key] }
            return keys.firstIndex(of: key)
        }

        mutating func append(_ key: String, _ box: EncodingBox) {
            keys.append(key)
            boxes.append(box)
            if index != nil {
                index![key] = keys.count - 1
            } else if keys.count > Self.linearLimit {
                index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element, $0.offset) })
            }
        }
    }

    var content: Content = .empty

    /// The child box for `key`, created (at the end of the key order) on first use. Writing a
    /// key twice replaces its value in place, keeping the first position.
    func child(forKey key: String) -> EncodingBox {
        var slots = ObjectSlots()
        if case .object(let existing) = content {
            if let position = existing.position(of: key) { return existing.boxes[position] }
            slots = existing
        }
        // Drop the enum's copy first so the arrays are uniquely referenced and grow in place.
        content = .empty
        let box = EncodingBox()
        slots.append(key, box)
        content = .object(slots)
        return box
    }

    /// Turns this box into an (initially empty) object if it is not one already.
    func makeObject() {
        if case .object = content { return }
        content = .object(ObjectSlots())
    }

    /// Appends a fresh element box, turning this box into an array if needed.
    func appendChild() -> EncodingBox {
        var items: [EncodingBox] = []
        if case .array(let existing) = content { items = existing }
        content = .empty
        let box = EncodingBox()
        items.append(box)
        content = .array(items)
        return box
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    var count: Int {
        if case .array(let items) = content { items.count } else { 0 }
    }

    func set(_ value: JSONValue) { content = .value(value) }

    var resolved: JSONValue {
        switch content {
        case .empty: return .object(JSONObject())
        case .value(let value): return value
        case .array(let items): return .array(items.map(\.resolved))
        case .object(let slots):
            return .object(JSONObject(uniqueKeys: slots.keys, values: slots.boxes.map(\.resolved)))
        }
    }
}
