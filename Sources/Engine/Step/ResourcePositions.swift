import LifeboatAPI

/// Where each resource of a list of layers is, by name: one pass, sized up front. The engine
/// builds it for `status.layers` and the snapshot, the executor for a batch of effects.
enum ResourcePositions {
    typealias Position = (layer: Int, resource: Int)

    static func byName(_ layers: [LayerStatus]) -> [String: Position] {
        build(layers.map { $0.resources.map(\.name) })
    }

    static func byName(_ layers: [Layer]) -> [String: Position] {
        build(layers.map { $0.resources.map(\.name) })
    }

    private static func build(_ names: [[String]]) -> [String: Position] {
        var positions: [String: Position] = [:]
        positions.reserveCapacity(names.reduce(0) { $0 + $1.count })
        for l in names.indices {
            for r in names[l].indices { positions[names[l][r]] = (l, r) }
        }
        return positions
    }
}
