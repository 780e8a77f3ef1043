/// The coding path of a value being encoded, as a chain from the leaf. Stepping down allocates
/// one small node; the `[any CodingKey]` that `Encoder.codingPath` promises is built only when
/// someone reads it (an error message), not copied at every field of every value.
indirect enum EncodingPath: Sendable {
    case root
    case key(any CodingKey, parent: EncodingPath)
    case index(Int, parent: EncodingPath)

    func appending(_ key: any CodingKey) -> EncodingPath { .key(key, parent: self) }
    func appending(index: Int) -> EncodingPath { .index(index, parent: self) }

    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = self
        while true {
            switch node {
            case .root: return keys.reversed()
            case .key(let key, let parent): keys.append(key); node = parent
            case .index(let index, let parent): keys.append(IndexCodingKey(index)); node = parent
            }
        }
    }
}
