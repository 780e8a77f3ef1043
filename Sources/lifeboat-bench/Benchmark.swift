/// One measured number, as printed in the `make bench` table.
struct Measurement {
    let suite: String
    let name: String
    let value: Double
    let unit: String
    /// The goal from the issue or design, for the report (never asserted).
    let target: String?

    init(_ suite: String, _ name: String, _ value: Double, _ unit: String, target: String? = nil) {
        self.suite = suite
        self.name = name
        self.value = value
        self.unit = unit
        self.target = target
    }
}

/// A group of benchmarks. Each suite lives in its own file and is listed in `main.swift`.
protocol BenchmarkSuite {
    static var name: String { get }
    static var summary: String { get }
    static func run() async throws -> [Measurement]
}

enum BenchmarkTable {
    static func render(_ rows: [Measurement]) -> String {
        let header = ["suite", "measurement", "value", "unit", "target"]
        let cells = rows.map { row in [row.suite, row.name, format(row.value), row.unit, row.target ?? ""] }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                index == 2 ? String(repeating: " ", count: widths[index] - value.count) + value
                           : value + String(repeating: " ", count: widths[index] - value.count)
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + cells.map(line)).joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e12 { return String(Int64(value)) }
        if abs(value) >= 100 { return String(Int64(value.rounded())) }
        let scaled = (value * 100).rounded() / 100
        return String(scaled)
    }
}
