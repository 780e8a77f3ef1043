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

    /// The planned resource at a status position. Admission lays `status.layers` out in the
    /// snapshot's order, so both share positions; the name is checked all the same.
    static func planned(_ name: String, at position: Position?, in snapshot: DRPlanSpec?) -> Resource? {
        guard let (l, r) = position, let layers = snapshot?.layers, layers.indices.contains(l),
              layers[l].resources.indices.contains(r), layers[l].resources[r].name == name else { return nil }
        return layers[l].resources[r]
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
