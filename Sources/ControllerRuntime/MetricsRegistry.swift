import Synchronization

/// Counters, gauges and histograms rendered in the Prometheus text format (version 0.0.4).
/// Series are created on first use and live as long as the registry; every update is a short
/// lock, so metrics can be touched from any task or thread.
public final class MetricsRegistry: Sendable {
    enum Kind: String { case counter, gauge, histogram }

    private struct Family {
        var kind: Kind
        var help: String
        var buckets: [Double]
        var series: [String: Series] = [:]  // keyed by the rendered label set
    }

    private enum Series {
        case value(Metric)
        case histogram(Histogram)
    }

    private let families = Mutex<[String: Family]>([:])
    private let collectors = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    /// Buckets 0.005…60 s: controller-runtime's reconcile_time_seconds.
    public static let reconcileBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4,
                                                    0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5,
                                                    3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60]
    /// 1e-8…1e3 ×10: the workqueue duration histograms.
    public static let workqueueBuckets: [Double] = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000]

    public func counter(_ name: String, help: String, labels: KeyValuePairs<String, String> = [:]) -> Metric {
        guard case .value(let metric) = series(name, .counter, help, [], labels) else { preconditionFailure(name) }
        return metric
    }

    public func gauge(_ name: String, help: String, labels: KeyValuePairs<String, String> = [:]) -> Metric {
        guard case .value(let metric) = series(name, .gauge, help, [], labels) else { preconditionFailure(name) }
        return metric
    }

    public func histogram(_ name: String, help: String, buckets: [Double],
                          labels: KeyValuePairs<String, String> = [:]) -> Histogram {
        guard case .histogram(let histogram) = series(name, .histogram, help, buckets, labels) else { preconditionFailure(name) }
        return histogram
    }

    /// Drops one series (a gauge of an object that is gone), so a long-running process does not
    /// keep a series for every object it ever saw.
    public func remove(_ name: String, labels: KeyValuePairs<String, String>) {
        let key = Self.key(labels)
        families.withLock { families in _ = families[name]?.series.removeValue(forKey: key) }
    }

    private static func key(_ labels: KeyValuePairs<String, String>) -> String {
        labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",")
    }

    private func series(_ name: String, _ kind: Kind, _ help: String, _ buckets: [Double],
                        _ labels: KeyValuePairs<String, String>) -> Series {
        let key = Self.key(labels)
        return families.withLock { families in
            var family = families[name] ?? Family(kind: kind, help: help, buckets: buckets)
            precondition(family.kind == kind, "metric \(name) registered as \(family.kind) and \(kind)")
            if let existing = family.series[key] { return existing }
            let created: Series = kind == .histogram ? .histogram(Histogram(buckets: family.buckets)) : .value(Metric())
            family.series[key] = created
            families[name] = family
            return created
        }
    }

    /// Runs `collect` before every render: for gauges that are a function of time (how long the
    /// running work has run), computed when scraped instead of by a timer that would wake an
    /// idle process. Collectors live as long as the registry.
    public func onRender(_ collect: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// The whole registry, families sorted by name and series by labels, so output is stable.
    public func render() -> String {
        for collect in collectors.withLock({ $0 }) { collect() }
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.kind.rawValue)\n"
            for labels in family.series.keys.sorted() {
                switch family.series[labels]! {
                case .value(let metric):
                    out += "\(name)\(Self.braces(labels)) \(Self.format(metric.value))\n"
                case .histogram(let histogram):
                    let (counts, sum, count) = histogram.snapshot
                    var cumulative = 0
                    for (bound, n) in zip(family.buckets, counts) {
                        cumulative += n
                        out += "\(name)_bucket\(Self.braces(labels, le: Self.format(bound))) \(cumulative)\n"
                    }
                    out += "\(name)_bucket\(Self.braces(labels, le: "+Inf")) \(count)\n"
                    out += "\(name)_sum\(Self.braces(labels)) \(Self.format(sum))\n"
                    out += "\(name)_count\(Self.braces(labels)) \(count)\n"
                }
            }
        }
        return out
    }

    private static func braces(_ labels: String, le: String? = nil) -> String {
        let all = [labels.isEmpty ? nil : labels, le.map { "le=\"\($0)\"" }].compactMap { $0 }.joined(separator: ",")
        return all.isEmpty ? "" : "{\(all)}"
    }

    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private static func escape(_ value: String) -> String {
        // Most values hold none of the three (a metric update looks its series up by them).
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") })
        else { return value }
        return value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}

/// A counter or gauge value.
public final class Metric: Sendable {
    private let storage = Mutex<Double>(0)
    public func increment(by amount: Double = 1) { storage.withLock { $0 += amount } }
    public func decrement(by amount: Double = 1) { storage.withLock { $0 -= amount } }
    public func set(_ value: Double) { storage.withLock { $0 = value } }
    public var value: Double { storage.withLock { $0 } }
}

public final class Histogram: Sendable {
    private let buckets: [Double]
    private let storage: Mutex<(counts: [Int], sum: Double, count: Int)>

    init(buckets: [Double]) {
        self.buckets = buckets
        self.storage = Mutex((Array(repeating: 0, count: buckets.count), 0, 0))
    }

    public func observe(_ value: Double) {
        let index = buckets.firstIndex { value <= $0 }
        storage.withLock {
            if let index { $0.counts[index] += 1 }
            $0.sum += value
            $0.count += 1
        }
    }

    var snapshot: (counts: [Int], sum: Double, count: Int) { storage.withLock { $0 } }
}
