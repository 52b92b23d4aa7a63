// swift-tools-version:6.0
import PackageDescription

// Layers, dependencies pointing one way:
//   ThreatLedgerCore (pure domain, no I/O) ← ThreatLedgerStore (SQLite) and ThreatLedgerPostgres ← ThreatLedgerProjections ← ThreatLedgerAudit ← ThreatLedgerServer (HTTP) ← threatledger (CLI)
// Later layers (Projections, Audit, HTTP, PostgreSQL, benchmarks) add targets of their own.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ThreatLedger",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ThreatLedgerCore", targets: ["ThreatLedgerCore"]),
        .library(name: "ThreatLedgerStore", targets: ["ThreatLedgerStore"]),
        .library(name: "ThreatLedgerPostgres", targets: ["ThreatLedgerPostgres"]),
        .library(name: "ThreatLedgerProjections", targets: ["ThreatLedgerProjections"]),
        .library(name: "ThreatLedgerAudit", targets: ["ThreatLedgerAudit"]),
        .library(name: "ThreatLedgerServer", targets: ["ThreatLedgerServer"]),
        .executable(name: "threatledger", targets: ["threatledger"]),
        .executable(name: "threatledger-bench", targets: ["ThreatLedgerBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "ThreatLedgerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerStore",
            dependencies: ["ThreatLedgerCore", "CSQLite"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerPostgres",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerProjections",
            dependencies: ["ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerPostgres"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerAudit",
            dependencies: ["ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerServer",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "threatledger",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit", "ThreatLedgerServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ThreatLedgerBench",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerPostgres", "ThreatLedgerProjections", "ThreatLedgerAudit", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerTesting",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerPostgres", "ThreatLedgerProjections",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/ThreatLedgerTesting",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerCoreTests",
            dependencies: ["ThreatLedgerCore", "ThreatLedgerTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerStoreTests",
            dependencies: ["ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerPostgres", "ThreatLedgerTesting", "CSQLite", "threatledger"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerProjectionsTests",
            dependencies: ["ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit", "ThreatLedgerTesting", "threatledger"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerAuditTests",
            dependencies: ["ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit", "ThreatLedgerTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerServerTests",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerServer", "ThreatLedgerTesting", "threatledger",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerCLITests",
            dependencies: ["ThreatLedgerTesting", "threatledger"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
