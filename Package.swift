// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C libraries, seen only by the two wrapper modules below.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CJansson", pkgConfig: "jansson", providers: [.apt(["libjansson-dev"])]),

        // Swift values over the C libraries.
        .target(name: "SluiceYAML", dependencies: ["CYAML"]),
        .target(name: "SluiceJSON", dependencies: ["CJansson"]),

        // The engine's vocabulary and pure decisions: routes, channel templates, origins, limits.
        .target(name: "SluiceCore", dependencies: ["SluiceJSON"]),

        // Event ids, per-channel history and the decisions of a Last-Event-ID resume (replay or reset).
        .target(name: "SluiceHistory", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),

        // Hooks: external commands exchanging JSON, run in their own process groups off the event loops.
        .target(
            name: "SluiceHooks",
            dependencies: [
                "SluiceCore", "SluiceJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // Client and API credentials: token sources, static tokens, JWT (signatures by swift-crypto), channel grants.
        .target(
            name: "SluiceAuth",
            dependencies: [
                "SluiceCore", "SluiceJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),

        // YAML file -> diagnostics -> validated, compiled gateway description.
        .target(name: "SluiceConfig", dependencies: ["SluiceYAML", "SluiceJSON", "SluiceCore", "SluiceAuth"]),

        // SwiftNIO: listening, HTTP/1.1, SSE streams, channel fan-out, the publish and admin API.
        .target(
            name: "SluiceHTTP",
            dependencies: [
                "SluiceCore", "SluiceJSON", "SluiceHistory", "SluiceHooks", "SluiceAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // `sluice bench`: a load generator for SSE servers (Sluice, Nchan, Pushpin).
        .target(
            name: "SluiceBench",
            dependencies: [
                "SluiceJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // The command line: thin commands calling into the modules above.
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceConfig", "SluiceCore", "SluiceJSON", "SluiceHTTP", "SluiceBench", "SluiceHooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .testTarget(name: "SluiceYAMLTests", dependencies: ["SluiceYAML"]),
        .testTarget(name: "SluiceJSONTests", dependencies: ["SluiceJSON"]),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceJSON"]),
        .testTarget(
            name: "SluiceBenchTests",
            dependencies: [
                "SluiceBench", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SluiceHooksTests",
            dependencies: [
                "SluiceHooks", "SluiceCore", "SluiceJSON", .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SluiceAuthTests",
            dependencies: [
                "SluiceAuth", "SluiceCore", "SluiceJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "SluiceHistoryTests",
            dependencies: ["SluiceHistory", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "SluiceHTTPTests",
            dependencies: [
                "SluiceHTTP", "SluiceConfig", "SluiceCore", "SluiceJSON", "SluiceBench", "SluiceHistory", "SluiceAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SluiceConfigTests",
            dependencies: [
                "SluiceConfig", "SluiceCore", "SluiceJSON", "SluiceAuth", "sluice",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
