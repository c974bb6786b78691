import ArgumentParser
import SluiceConfig
import SluiceHooks
import SluiceJSON

/// `sluice hook test NAME --config FILE`: runs one hook exactly as the gateway would and shows what happened.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook", abstract: "Work with hooks.", subcommands: [HookTestCommand.self])
}

struct HookTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a hook once, as the gateway would, and print its decision, exit status, stderr and timing.",
        discussion: """
            The request is a sample onConnect request; --request replaces its members, for example \
            --request '{"params": {"id": "42"}, "query": {"ticket": "T-1"}}'.

            Exit status: 0 when the hook allows, 1 when it denies, 3 when it fails (onError would decide), \
            2 when the configuration or the command line is wrong.
            """
    )

    @Argument(help: "The hook's name under 'hooks:'.")
    var name: String

    @Option(name: .shortAndLong, help: "The configuration file.")
    var config: String

    @Option(help: "A JSON object whose members replace the sample request's.")
    var request: String?

    func run() throws {
        let loaded = ConfigLoader.load(path: config)
        guard let gateway = loaded.description else {
            FileHandleOutput.standardError(
                DiagnosticRenderer(format: .human, strict: false).render([(loaded.source, loaded.diagnostics)]))
            throw ExitCode(2)
        }
        guard let spec = gateway.hooks[name] else {
            let names = gateway.hooks.keys.sorted().joined(separator: ", ")
            FileHandleOutput.standardError(
                "error: no hook named '\(name)' (declared: \(names.isEmpty ? "none" : names))\n")
            throw ExitCode(2)
        }
        var overrides = JSONObject()
        if let request {
            guard case .object(let o) = try? JSONValue.parse(request) else {
                FileHandleOutput.standardError("error: --request must be a JSON object\n")
                throw ExitCode(2)
            }
            overrides = o
        }
        let sample: HookRequest
        do { sample = try HookRequest.sample(overrides) } catch {
            FileHandleOutput.standardError("error: --request: \(error)\n")
            throw ExitCode(2)
        }
        let (run, stdout) = HookRunner.runOnce(spec, sample, inherited: HookRunner.processEnvironment())
        var out = "hook     \(spec.name): \(([spec.executable] + spec.arguments).joined(separator: " "))\n"
        out += "request  \(sample.json.serialized())\n"
        out += "ended    \(run.exit.map { "\($0)" } ?? "-") after \(run.duration)\n"
        switch run.outcome {
        case .allow(let channels, let identity, let cache):
            out += "decision allow"
            if !channels.isEmpty { out += ", add channels \(channels.joined(separator: ", "))" }
            if !identity.isEmpty { out += ", identity \(JSONValue.object(identity).serialized())" }
            if let cache { out += ", cache \(cache)" }
        case .deny(let status, let reason, _):
            out += "decision deny: \(status) \"\(reason)\""
        case .failure(let why):
            out += "decision FAILURE: \(why) (onError: \(spec.onError.rawValue))"
        }
        out += "\n"
        let text = String(decoding: stdout.prefix(4096), as: UTF8.self)
        if !text.isEmpty { out += "stdout   \(text.hasSuffix("\n") ? String(text.dropLast()) : text)\n" }
        if !run.stderrTail.isEmpty { out += "stderr   \(run.stderrTail.suffix(2048))\n" }
        FileHandleOutput.standardOutput(out)
        switch run.outcome {
        case .allow: return
        case .deny: throw ExitCode(1)
        case .failure: throw ExitCode(3)
        }
    }
}
