// swift-tools-version:6.0
// Lifeboat — Kubernetes operator for application-level disaster recovery on AWS.
// Targets follow docs/architecture.md: arrows never point up (C shims → YAML → LifeboatAPI → …).
import PackageDescription

let package = Package(
    name: "Lifeboat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "drctl", targets: ["drctl"]),
        .library(name: "LifeboatAPI", targets: ["LifeboatAPI"]),
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

        // YAML on libyaml: a positioned node tree, Codable decoding with file:line:column, an encoder.
        .target(name: "YAML", dependencies: ["CYAML"]),

        // The user-facing API: DRPlan / DRExecution types, conditions, validation, conversion. No I/O.
        .target(name: "LifeboatAPI", dependencies: ["YAML"]),

        .executableTarget(name: "drctl", dependencies: ["LifeboatAPI", "YAML"]),

        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "LifeboatAPITests", dependencies: ["LifeboatAPI", "YAML"]),
        .testTarget(name: "DrctlTests", dependencies: ["YAML"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CCurl", "CCrypto", "CYAML"]),
    ],
    swiftLanguageModes: [.v6]
)
