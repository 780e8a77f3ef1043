/// A mutable slot an Encodable writes into. Encoder containers are handed out by value but must
/// write into shared storage (nested containers, superEncoder), so the tree under construction
/// is made of these references and turned into a JSONValue once encoding is done.
final class EncodingBox {
    enum Content {
        /// Nothing encoded yet. Resolves to `{}`, as JSONEncoder does for a value that encodes nothing.
        case empty
        case value(JSONValue)
        case object(KeyedList<EncodingBox>)  // children in the order first written
        case array([EncodingBox])
    }

    var content: Content = .empty

    /// The child box for `key`, created (at the end of the key order) on first use. Writing a
    /// key twice replaces its value in place, keeping the first position.
    func child(forKey key: String) -> EncodingBox {
        var slots = KeyedList<EncodingBox>()
        if case .object(let existing) = content {
            if let box = existing[key] { return box }
            slots = existing
        }
        // Drop the enum's copy first so the arrays are uniquely referenced and grow in place.
        content = .empty
        let box = EncodingBox()
        slots[key] = box
        content = .object(slots)
        return box
    }

    /// Turns this box into an (initially empty) object if it is not one already.
    func makeObject() {
        if case .object = content { return }
        content = .object(KeyedList())
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
            return .object(JSONObject(uniqueKeys: slots.keys, values: slots.values.map(\.resolved)))
        }
    }
}
