import ArgumentParser
import SluiceConfig

/// `sluice check FILE…`: every problem in one pass, like a compiler.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate configuration files and print every problem found.",
        discussion: """
            Runs the same loading pipeline as 'sluice serve' and prints each problem as \
            FILE:LINE:COLUMN: error[code]: message, with the source line, a caret and a hint.

            Exit status: 0 when there is no error (warnings allowed unless --strict), 1 when any file has an \
            error, 2 when a file cannot be read or the command line is wrong.
            """
    )

    @Argument(help: "Configuration files to check.")
    var files: [String]

    @Option(help: "Output format: human, json (an array of diagnostics) or github (workflow annotations).")
    var format: DiagnosticRenderer.Format = .human

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print nothing for files without problems (human format).")
    var quiet = false

    func run() throws {
        let results = files.map { ConfigLoader.load(path: $0) }
        let renderer = DiagnosticRenderer(format: format, strict: strict)
        let output = renderer.render(results.map { ($0.source, $0.diagnostics) })
        if format == .human && !quiet {
            for (file, result) in zip(files, results) where result.diagnostics.isEmpty {
                FileHandleOutput.standardOutput("\(file): ok\n")
            }
        }
        FileHandleOutput.standardOutput(output)
        if results.contains(where: \.isUnreadable) { throw ExitCode(2) }
        let failed = results.contains { result in
            result.diagnostics.contains { $0.severity == .error || strict }
        }
        if failed { throw ExitCode(1) }
    }
}

extension DiagnosticRenderer.Format: ExpressibleByArgument {}
