import ArgumentParser
import Glibc

/// The `sluice` command: a Server-Sent Events gateway configured by one YAML file.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A Server-Sent Events gateway configured by one YAML file.",
        discussion: """
            Run a gateway with 'sluice serve FILE'. Validate a configuration with 'sluice check', review it with \
            'sluice explain'.
            """,
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, CheckCommand.self, ExplainCommand.self, SchemaCommand.self, BenchCommand.self,
            HookCommand.self,
        ]
    )

    /// Runs the command line. Bad usage exits 2 (as `sluice check` documents), not ArgumentParser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let message = fullMessage(for: error)
                if !message.isEmpty { FileHandleOutput.standardError(message + "\n") }
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Writes to the standard streams without Foundation.
enum FileHandleOutput {
    static func standardOutput(_ text: String) { write(to: 1, text) }

    static func standardError(_ text: String) { write(to: 2, text) }

    private static func write(to descriptor: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
