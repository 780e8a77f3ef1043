import Testing

/// The suites of the two modules that call RDS (AuroraMySQL, SQLServer). Each counts RDS's
/// mutating calls at the emulator, which counts per operation for every account and region, so
/// they run one after the other instead of alongside each other.
@Suite(.serialized) enum RDSModuleSuites {}
