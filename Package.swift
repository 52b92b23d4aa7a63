// swift-tools-version:6.0
import PackageDescription

// Layers, dependencies pointing one way:
//   ThreatLedgerCore (pure domain, no I/O) ← ThreatLedgerStore (the log; SQLite) ← ThreatLedgerProjections (projection
//   rules, the SQLite projector and read index) ← ThreatLedgerAudit ← ThreatLedgerServer (HTTP) ← threatledger (CLI).
// ThreatLedgerPostgres is the PostgreSQL backend (its log and its projector: Store and Projections over postgres-nio);
// ThreatLedgerBackends opens a log and projector by location (a path or a postgres:// URL) for the executables.
// Every module a target imports is declared here.
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
        .library(name: "ThreatLedgerBackends", targets: ["ThreatLedgerBackends"]),
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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "ThreatLedgerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            // The proposer's lexicon, embedded as ProposalLexiconData.swift by scripts/embed-lexicon.py.
            exclude: ["Propose/Lexicon"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerStore",
            dependencies: ["ThreatLedgerCore", "CSQLite"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerProjections",
            dependencies: ["ThreatLedgerCore", "ThreatLedgerStore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerPostgres",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerBackends",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerPostgres",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerAudit",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ThreatLedgerServer",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit", "ThreatLedgerBackends",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The workbench's files, embedded as WebAssets.swift by scripts/embed-web.py.
            exclude: ["Web"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "threatledger",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit", "ThreatLedgerServer",
                "ThreatLedgerBackends",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ThreatLedgerBench",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerPostgres", "ThreatLedgerProjections", "ThreatLedgerAudit", "CSQLite",
                "ThreatLedgerBackends",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
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
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerPostgres", "ThreatLedgerTesting", "CSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerProjectionsTests",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit", "ThreatLedgerTesting",
                "ThreatLedgerPostgres", .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerAuditTests",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerAudit", "ThreatLedgerTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerServerTests",
            dependencies: [
                "ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerServer", "ThreatLedgerTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ThreatLedgerCLITests",
            // Every test that starts the `threatledger` binary lives here: this target depends on it.
            dependencies: ["ThreatLedgerCore", "ThreatLedgerStore", "ThreatLedgerProjections", "ThreatLedgerTesting", "CSQLite", "threatledger"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
