import ArgumentParser
import SluiceConfig

/// `sluice explain FILE`: what the gateway will do, route by route.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print each route with its channels, auth, hooks and limits, as a table for code review.",
        discussion: "Secrets never appear. A configuration with errors prints its diagnostics instead (exit 1)."
    )

    @Argument(help: "The configuration file.")
    var file: String

    func run() throws {
        let result = ConfigLoader.load(path: file)
        guard let gateway = result.description else {
            FileHandleOutput.standardError(
                DiagnosticRenderer(format: .human).render([(result.source, result.diagnostics)]))
            throw ExitCode(result.isUnreadable ? 2 : 1)
        }
        FileHandleOutput.standardOutput(ExplainTable.render(gateway))
    }
}
