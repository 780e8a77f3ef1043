/// Values by key in the order their keys were first set: the storage of `JSONObject` and of the
/// encoder's object boxes. Most objects of a manifest or a status have a handful of keys, found
/// faster by a look along the list than by hashing, and built, copied and written without a hash
/// table; an index by key is kept once a list grows past `linearLimit` (a map of many entries
/// would otherwise cost n² compares).
struct KeyedList<Value> {
    private(set) var keys: [String] = []
    private(set) var values: [Value] = []
    private var index: [String: Int]?

    static var linearLimit: Int { 12 }

    init() {}

    /// Keys known to be distinct, with their values in the same order: no lookups.
    init(uniqueKeys keys: [String], values: [Value]) {
        self.keys = keys
        self.values = values
        if keys.count > Self.linearLimit { rebuildIndex() }
    }

    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    /// Setting a key that exists keeps its position; setting nil removes it.
    subscript(key: String) -> Value? {
        get { position(of: key).map { values[$0] } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    values[position] = newValue
                } else {
                    keys.remove(at: position)
                    values.remove(at: position)
                    if keys.count > Self.linearLimit { rebuildIndex() } else { index = nil }
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
                if index != nil { index![key] = keys.count - 1 } else if keys.count > Self.linearLimit { rebuildIndex() }
            }
        }
    }

    private mutating func rebuildIndex() {
        var index: [String: Int] = [:]
        index.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() { index[key] = position }
        self.index = index
    }
}

extension KeyedList: Sendable where Value: Sendable {}
