import ControllerRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifeboatAPI
import Logging
import Operator

// lifeboat-operator: see `--help` and docs/operator.md. Exit codes: 0 stopped by a signal,
// 1 leadership lost or a start-up failure, 2 a usage error.

let options: OperatorOptions
do {
    options = try OperatorOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    let message = Array("lifeboat-operator: \(error)\n".utf8)
    _ = write(2, message, message.count)
    exit(2)
}
if options.showHelp {
    print(OperatorOptions.help)
    exit(0)
}
if options.showVersion {
    print("lifeboat-operator \(LifeboatVersion.current) (API \(LifeboatGroup.apiVersion))")
    exit(0)
}

let logger = Logger(sink: FileDescriptorSink(descriptor: 2, format: options.logFormat), minimumLevel: options.logLevel)
let shutdown = ShutdownSignal()
do {
    let lifeboat = try LifeboatOperator(options: options, logger: logger)
    logger.info("starting", ["version": .string(LifeboatVersion.current),
                             "namespaces": .string(options.namespaces.isEmpty ? "all" : options.namespaces.joined(separator: ",")),
                             "leaderElection": .bool(options.leaderElect)])
    let outcome = try await lifeboat.run(until: shutdown)
    logger.info("exiting", ["outcome": .string("\(outcome)")])
    exit(outcome == .stopped ? 0 : 1)
} catch {
    logger.error("could not start", ["error": .string("\(error)")])
    exit(1)
}
