import Foundation
import SluiceConfig
import Testing

/// An invalid fixture: a YAML file whose first lines say what it must produce.
///
/// `# expect: error[unknown-key] at 5:3` names one diagnostic that must appear; `# schema: reject` says the
/// JSON Schema can express the mistake, so the schema must reject the file too.
struct Fixture: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]

    var testDescription: String { name }

    init(_ name: String) {
        self.name = name
        bytes = Array(FileManager.default.contents(atPath: TestPaths.fixtures.appending(path: "invalid/\(name)").path)!)
    }

    var header: [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").prefix(3).map(String.init)
    }

    /// The expected severity, code, line and column.
    var expectation: (severity: String, code: String, line: Int, column: Int)? {
        guard let line = header.first(where: { $0.hasPrefix("# expect: ") }) else { return nil }
        let body = line.dropFirst("# expect: ".count)
        guard let open = body.firstIndex(of: "["), let close = body.firstIndex(of: "]"),
            let at = body.range(of: " at ")
        else { return nil }
        let position = body[at.upperBound...].split(separator: ":").compactMap { Int($0) }
        guard position.count == 2 else { return nil }
        return (String(body[..<open]), String(body[body.index(after: open)..<close]), position[0], position[1])
    }

    var schemaRejects: Bool { header.contains("# schema: reject") }

    func load() -> ConfigLoader.Result {
        ConfigLoader.load(
            bytes: bytes, path: "invalid/\(name)", baseDirectory: TestPaths.fixtures.appending(path: "invalid").path,
            environment: TestPaths.environment)
    }

    static let all: [Fixture] = TestPaths.files(in: "invalid", ending: ".yaml").map(Fixture.init)
}
