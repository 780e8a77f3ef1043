import Engine

/// The modules this build of drctl runs for real. Empty until the AWS modules arrive (a later
/// release); `drctl run --simulate` replaces every module with a simulated one instead.
enum AvailableModules {
    static var registry: ModuleRegistry { ModuleRegistry() }
}
