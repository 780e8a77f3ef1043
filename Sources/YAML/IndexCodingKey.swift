/// The coding key of a sequence element, so coding paths render as `items[3]`.
struct IndexCodingKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) {
        guard let index = Int(stringValue) else { return nil }
        self.index = index
    }
    init?(intValue: Int) { self.index = intValue }
    var stringValue: String { String(index) }
    var intValue: Int? { index }
}
