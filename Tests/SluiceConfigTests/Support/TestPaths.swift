import Foundation

/// Where the package's files are, found from this source file (tests run from any directory).
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SluiceConfigTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let fixtures = packageRoot.appending(path: "Tests/SluiceConfigTests/Fixtures")

    /// The environment fixtures are loaded with: fixed, so results do not depend on the machine.
    static let environment = ["PATH": "/usr/bin:/bin"]

    static func files(in folder: String, ending suffix: String) -> [String] {
        let dir = fixtures.appending(path: folder).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(suffix) }.sorted()
    }

    static var examples: [String] {
        ["examples/quickstart.yaml", "examples/states.yaml", "examples/auth-hooks/gateway.yaml"]
    }

    /// The built `sluice` binary, beside the test bundle or in the default build folder.
    static var sluiceBinary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(
            path: "sluice")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appending(path: ".build/debug/sluice")
    }
}
