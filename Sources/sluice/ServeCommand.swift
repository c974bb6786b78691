import ArgumentParser
import Logging
import ServiceLifecycle
import SluiceConfig
import SluiceHTTP

/// `sluice serve FILE`: runs the gateway until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway described by a configuration file.",
        discussion: """
            Loads the file through the same pipeline as 'sluice check' (a configuration with errors is printed and \
            not served), listens, and serves until SIGTERM or SIGINT, when every stream gets an 'end' event before \
            the process exits.
            """
    )

    @Argument(help: "The configuration file.")
    var file: String

    func run() async throws {
        let result = ConfigLoader.load(path: file)
        guard let gateway = result.description else {
            FileHandleOutput.standardError(
                DiagnosticRenderer(format: .human).render([(result.source, result.diagnostics)]))
            throw ExitCode(result.isUnreadable ? 2 : 1)
        }
        let level = Logger.Level(rawValue: gateway.server.logLevel) ?? .info
        let format = SluiceLogHandler.Format(rawValue: gateway.server.logFormat) ?? .text
        LoggingSystem.bootstrap { label in SluiceLogHandler(label: label, level: level, format: format) }
        let logger = Logger(label: "sluice")
        for diagnostic in result.diagnostics {
            logger.warning(
                "\(diagnostic.message)",
                metadata: ["sluice.config": "\(file):\(diagnostic.span.start.line):\(diagnostic.span.start.column)"])
        }
        let server = GatewayServer(gateway: gateway, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
