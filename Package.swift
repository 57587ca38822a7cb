// swift-tools-version:6.1
import PackageDescription

/// Xuncha — 巡察工作信息管理系统.
///
/// Arrows point down only: `xuncha → XunchaWeb → XunchaStore → XunchaCore`, and XunchaWeb →
/// XunchaSheets → XunchaCore (spreadsheets in and out); `XunchaSeed` (demo and
/// benchmark data) sits beside XunchaWeb, used by `xuncha` and the tests only.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Xuncha",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xuncha", targets: ["xuncha"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/drmohundro/SWXMLHash.git", from: "8.1.1"),
    ],
    targets: [
        .target(
            name: "XunchaCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "XunchaStore",
            dependencies: [
                "XunchaCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The office's files: reads .xlsx (as Excel and WPS save it) and CSV in UTF-8 or GB18030
        // into a `CSVTable`, writes the .xlsx of the ledger exports and the .docx 公文 of Core's
        // `OfficialDocument` (GB/T 9704-2012 layout). The only target that opens or writes ZIP
        // archives and XML; Core stays free of both.
        .target(
            name: "XunchaSheets",
            dependencies: [
                "XunchaCore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SWXMLHash", package: "SWXMLHash"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "XunchaWeb",
            dependencies: [
                "XunchaCore",
                "XunchaStore",
                "XunchaSheets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The demo city and the synthetic national-scale data: for the console and the tests,
        // never linked into the server library.
        .target(
            name: "XunchaSeed",
            dependencies: ["XunchaCore", "XunchaStore", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "xuncha",
            dependencies: [
                "XunchaCore",
                "XunchaStore",
                "XunchaSeed",
                "XunchaWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared test support: fresh stores on SQLite and PostgreSQL, a controllable clock, fixtures.
        .target(
            name: "XunchaTesting",
            dependencies: ["XunchaCore", "XunchaStore", .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/XunchaTesting",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "XunchaCoreTests",
            dependencies: ["XunchaCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "XunchaSheetsTests",
            dependencies: ["XunchaSheets", "XunchaCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "XunchaStoreTests",
            dependencies: ["XunchaStore", "XunchaCore", "XunchaSeed", "XunchaTesting", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Runs the built `xuncha` binary as a person at the console would.
        .testTarget(
            name: "XunchaCLITests",
            dependencies: ["XunchaStore", "XunchaCore", "XunchaTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "XunchaWebTests",
            dependencies: [
                "XunchaWeb", "XunchaStore", "XunchaCore", "XunchaSeed", "XunchaTesting", "XunchaSheets",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
