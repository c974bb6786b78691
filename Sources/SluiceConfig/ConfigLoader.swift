import Foundation
import SluiceCore
import SluiceYAML

/// The loading pipeline: file → YAML tree → checked values → semantic validation → ``GatewayDescription``.
///
/// `sluice check`, `sluice explain` and `sluice serve` all run exactly this.
public enum ConfigLoader {
    /// What loading produced.
    public struct Result: Sendable {
        /// The file's text (for printing source lines), or `nil` when it could not be read.
        public var source: SourceFile?
        /// The compiled gateway, when there was no error.
        public var description: GatewayDescription?
        /// Every problem found, in file order.
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
        /// Whether the file itself could not be read (`sluice check` exits 2).
        public var isUnreadable: Bool { source == nil }
    }

    /// Loads a configuration file.
    /// - Parameters:
    ///   - path: the file, as the user named it (diagnostics print it this way).
    ///   - environment: what `${VAR}` reads; the process environment by default.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            let d = Diagnostic(.error, .unreadable, "\(path) \(reason)", file: path, span: .fileStart)
            return Result(source: nil, description: nil, diagnostics: [d])
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return load(bytes: Array(data), path: path, baseDirectory: directory, environment: environment)
    }

    /// Loads configuration text (for tests and tools that hold the text already).
    public static func load(bytes: [UInt8], path: String, baseDirectory: String, environment: [String: String])
        -> Result
    {
        var source = SourceFile(path: path, bytes: bytes)
        let root: YAMLNode
        do {
            guard let node = try YAMLParser.parse(bytes) else {
                let d = Diagnostic(
                    .error, .emptyFile, "the file is empty", file: path, span: .fileStart,
                    hint: "start with 'version: 1' and a route; see examples/quickstart.yaml")
                return Result(source: source, description: nil, diagnostics: [d])
            }
            root = node
        } catch {
            let end = error.end ?? YAMLMark(line: error.mark.line, column: error.mark.column + 1)
            let d = Diagnostic(
                .error, DiagnosticCode(error.kind.rawValue), error.message, file: path,
                span: SourceSpan(start: error.mark, end: end), hint: error.hint)
            return Result(source: source, description: nil, diagnostics: [d])
        }
        var checker = SpecChecker(file: path, environment: environment)
        let checked = checker.check(root, .record(SluiceSpec.root), path: "")
        source.secretSpans = checker.secretSpans
        var diagnostics = checker.diagnostics
        var description: GatewayDescription?
        if let record = checked?.record {
            var compiler = GatewayCompiler(
                root: record,
                context: CompileContext(file: path, baseDirectory: baseDirectory, environment: environment))
            description = compiler.compile()
            diagnostics += compiler.context.diagnostics
        }
        diagnostics.sort {
            ($0.span.start, $0.severity == .error ? 0 : 1) < ($1.span.start, $1.severity == .error ? 0 : 1)
        }
        if diagnostics.contains(where: { $0.severity == .error }) { description = nil }
        return Result(source: source, description: description, diagnostics: diagnostics)
    }
}
