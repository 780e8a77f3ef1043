// swift-tools-version:6.0
// Lifeboat — Kubernetes operator for application-level disaster recovery on AWS.
// Targets follow docs/development.md: arrows never point up
// (C shims → Logging/Digest/YAML → HTTP, LifeboatAPI → AWS, Engine → LocalStore → drctl).
import PackageDescription

let package = Package(
    name: "Lifeboat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "drctl", targets: ["drctl"]),
        .executable(name: "lifeboat-bench", targets: ["lifeboat-bench"]),
        .executable(name: "lifeboat-operator", targets: ["lifeboat-operator"]),
        .library(name: "LifeboatAPI", targets: ["LifeboatAPI"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "EngineTesting", targets: ["EngineTesting"]),
        .library(name: "YAML", targets: ["YAML"]),
    ],
    targets: [
        // C libraries, reached through system-library shims (no vendored C code).
        .systemLibrary(name: "CCurl", path: "Sources/CShims/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CShims/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CShims/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CXML2", path: "Sources/CShims/CXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),

        // Leaves: structured logging, hashing, YAML/JSON values.
        .target(name: "Logging"),
        .target(name: "Digest", dependencies: ["CCrypto"]),
        .target(name: "YAML", dependencies: ["CYAML"]),
        // Time as Kubernetes and AWS write it: RFC 3339 timestamps (metav1.Time, MicroTime) and Go durations.
        .target(name: "TimeFormats"),
        // One Kubernetes object model (ObjectMeta, KubeObject, Condition) for the client, the
        // runtime and the DR API alike.
        .target(name: "KubeModel", dependencies: ["TimeFormats"]),

        // HTTP on libcurl, shared by the AWS and Kubernetes clients.
        .target(name: "HTTP", dependencies: ["CCurl"]),

        // The user-facing API: DRPlan / DRExecution types, conditions, validation, conversion. No I/O.
        .target(name: "LifeboatAPI", dependencies: ["YAML", "KubeModel", "TimeFormats"]),

        // AWS: credentials, SigV4, the five wire protocols, retries, endpoints. A general client:
        // it knows nothing of DR (references and access checks live in Modules).
        .target(name: "AWS", dependencies: ["HTTP", "Digest", "Logging", "YAML", "CXML2", "TimeFormats"]),

        // The execution state machine (pure) and the module contract.
        .target(name: "Engine", dependencies: ["LifeboatAPI", "YAML", "Digest", "Logging"]),
        // Test and simulation modules, a deterministic driver: for tests, benchmarks and demos.
        .target(name: "EngineTesting", dependencies: ["Engine", "LifeboatAPI", "YAML"]),
        // Kubernetes: the wire client, and a controller runtime that knows nothing about DR.
        .target(name: "Kube", dependencies: ["HTTP", "YAML", "Logging", "KubeModel"]),
        .target(name: "ControllerRuntime", dependencies: ["Kube", "HTTP", "YAML", "Logging"]),
        // The 13 technology modules (MODULES.md) on the engine's contract, calling AWS.
        .target(name: "Modules", dependencies: ["Engine", "AWS", "LifeboatAPI", "YAML", "Logging", "Digest"]),

        // The operator: the two reconcilers that join the controller runtime to the Engine and
        // the modules. No DR rules of its own.
        .target(name: "Operator", dependencies: ["ControllerRuntime", "Kube", "Engine", "Modules", "AWS", "LifeboatAPI",
                                                 "YAML", "Logging"]),
        .executableTarget(name: "lifeboat-operator", dependencies: ["Operator", "Logging"]),
        // Break-glass mode: the Engine driven from files instead of a cluster.
        .target(name: "LocalStore", dependencies: ["Engine", "LifeboatAPI", "YAML"]),

        .executableTarget(name: "drctl", dependencies: [
            "LifeboatAPI", "YAML", "Engine", "EngineTesting", "LocalStore", "AWS", "Modules", "Logging",
        ]),
        .executableTarget(name: "lifeboat-bench", dependencies: [
            "Engine", "EngineTesting", "LocalStore", "LifeboatAPI", "YAML", "AWS", "HTTP", "Logging", "Kube", "ControllerRuntime", "Modules",
        ]),

        // Helpers every test target shares (waiting on a condition, a seeded generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "YAMLTests", dependencies: ["YAML", "TestSupport"]),
        .testTarget(name: "LifeboatAPITests", dependencies: ["LifeboatAPI", "YAML"]),
        .testTarget(name: "LoggingTests", dependencies: ["Logging"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "AWSTests", dependencies: ["AWS", "HTTP", "YAML", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "EngineTesting", "LifeboatAPI", "YAML", "TestSupport"]),
        .testTarget(name: "LocalStoreTests", dependencies: ["LocalStore", "Engine", "EngineTesting", "LifeboatAPI", "YAML", "TestSupport"]),
        .testTarget(name: "DrctlTests", dependencies: ["YAML", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KubeTests", dependencies: ["Kube", "HTTP", "YAML"], exclude: ["Fixtures"]),
        .testTarget(name: "ControllerRuntimeTests", dependencies: ["ControllerRuntime", "Kube", "HTTP", "YAML", "Logging", "LifeboatAPI", "TestSupport"],
                    exclude: ["Fixtures"]),
        // A sample controller (not DR) on the Manager, run as a real process by ControllerRuntimeTests.
        .executableTarget(name: "sample-controller", dependencies: ["ControllerRuntime", "Kube", "YAML", "Logging"],
                          path: "Tests/SampleController"),
        .testTarget(name: "ModulesTests", dependencies: ["Modules", "Engine", "AWS", "LifeboatAPI", "YAML", "Logging", "TestSupport"]),
        .testTarget(name: "OperatorTests", dependencies: ["Operator", "Engine", "LifeboatAPI", "Logging", "TestSupport"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CCurl", "CCrypto", "CYAML"]),
    ],
    swiftLanguageModes: [.v6]
)
