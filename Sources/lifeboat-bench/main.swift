#if canImport(Glibc)
import Glibc
#endif

// `lifeboat-bench [SUITE…]`: runs the named suites (all by default) and prints one table.
// Built in release mode by `make bench`; numbers go into issue notes, never into assertions.
let suites: [any BenchmarkSuite.Type] = [EngineBenchmark.self, BreakGlassBenchmark.self, AWSBenchmark.self, KubeBenchmark.self, ModulesBenchmark.self]

let requested = Array(CommandLine.arguments.dropFirst())
if requested.contains("--help") || requested.contains("-h") {
    print("usage: lifeboat-bench [SUITE…]\nsuites:")
    for suite in suites { print("  \(suite.name)  \(suite.summary)") }
    exit(0)
}
let unknown = requested.filter { name in !suites.contains { $0.name == name } }
if !unknown.isEmpty {
    print("lifeboat-bench: unknown suite \(unknown.joined(separator: ", ")); run with --help for the list")
    exit(2)
}
var rows: [Measurement] = []
for suite in suites where requested.isEmpty || requested.contains(suite.name) {
    do { rows += try await suite.run() } catch {
        print("lifeboat-bench: suite \(suite.name) failed: \(error)")
        exit(1)
    }
}
print(BenchmarkTable.render(rows))
