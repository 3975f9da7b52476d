// swift-tools-version:6.0
import PackageDescription

// The architecture in one place: every capability is its own target, and a target may import only what
// it lists here. Build with `--explicit-target-dependency-import-check error` (the Makefile and CI do)
// so a module that imports another module fails to build.
let package = Package(
    name: "kexie",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kexie", targets: ["kexie"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Tests only: reads /api/openapi.yaml so the route tests can check the document's structure.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Tests only: HTML snapshots of every page (Tests/PlatformTests/Conventions/PageSnapshotTests.swift).
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
    ],
    targets: [
        // Pure Swift: no Vapor, no database.
        .target(
            name: "KexieKit",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")]
        ),
        // The Vapor side shared by all modules.
        .target(
            name: "Platform",
            dependencies: [
                "KexieKit",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Members",
            dependencies: [
                "KexieKit", "Platform",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .target(
            name: "ServiceHall",
            dependencies: [
                "KexieKit", "Platform",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .target(
            name: "Plans",
            dependencies: [
                "KexieKit", "Platform",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            // The demo province's two work plans, imported through the plan import at `kexie demo`.
            resources: [.copy("Resources")]
        ),
        .target(
            name: "Innovation",
            dependencies: [
                "KexieKit", "Platform",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        // 学术交流与活动: events, registrations and waiting lists, check-in, calendars, evaluation, figures.
        .target(
            name: "Events",
            dependencies: [
                "KexieKit", "Platform",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        // 人才举荐、奖项评选、竞赛: programs, eligibility, channels and quotas, formal check, review through
        // Platform's review engine, 公示 and announcement, certificates, laureates.
        .target(
            name: "Awards",
            dependencies: [
                "KexieKit", "Platform",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        // Assembles the modules into an Application; the list of modules lives here, once.
        .target(
            name: "KexieApp",
            dependencies: [
                "KexieKit", "Platform", "Members", "ServiceHall", "Plans", "Innovation", "Events", "Awards",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ]
        ),
        .executableTarget(
            name: "kexie",
            dependencies: [
                "KexieApp", "Platform", "KexieKit",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ]
        ),
        // Measures matching quality and speed (bench/matching/README.md).
        .executableTarget(name: "match-bench", dependencies: ["KexieKit"]),
        .testTarget(name: "KexieKitTests", dependencies: ["KexieKit"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PlatformTests",
            dependencies: [
                "Platform", "KexieApp", "KexieKit", "Members", "ServiceHall", "Plans", "Innovation", "Events", "Awards",
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ]
        ),
    ]
)
