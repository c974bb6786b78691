import ArgumentParser
import SluiceConfig

/// `sluice schema`: the JSON Schema of the configuration (the same document as schemas/sluice.schema.json).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the configuration's JSON Schema (draft 2020-12).",
        discussion:
            "Point yaml-language-server at it with '# yaml-language-server: $schema=schemas/sluice.schema.json'."
    )

    @Flag(help: "Print the configuration reference as Markdown tables instead.")
    var reference = false

    func run() throws {
        FileHandleOutput.standardOutput(reference ? ReferenceGenerator.markdown() : SchemaGenerator.text())
    }
}
