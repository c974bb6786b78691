// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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

        // YAML file -> diagnostics -> validated, compiled gateway description.
        .target(name: "SluiceConfig", dependencies: ["SluiceYAML", "SluiceJSON", "SluiceCore"]),

        // The command line: thin commands calling into the modules above.
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceConfig", "SluiceCore", "SluiceJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "SluiceYAMLTests", dependencies: ["SluiceYAML"]),
        .testTarget(name: "SluiceJSONTests", dependencies: ["SluiceJSON"]),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(
            name: "SluiceConfigTests",
            dependencies: ["SluiceConfig", "SluiceCore", "SluiceJSON", "sluice"],
            exclude: ["Fixtures"]
        ),
    ]
)
