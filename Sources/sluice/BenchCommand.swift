import ArgumentParser
import SluiceBench

/// `sluice bench`: opens SSE streams against a deployment, publishes, and reports throughput and latency.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load-test an SSE gateway: open streams, publish, report deliveries/s and latency percentiles.",
        discussion: """
            Opens --connections streams to --url (a '{i}' in the path becomes the connection's number), then \
            publishes for --duration through the publish API of --target (sluice, nchan or pushpin), each event \
            carrying its send time so every delivery's latency is measured. --idle only opens and holds the \
            streams. The report says how much CPU the client itself used: a load near 100% means the client, not \
            the server, was the limit. Send traffic only to servers you run.
            """
    )

    @Option(help: "Stream URL, e.g. http://127.0.0.1:8080/events/news or .../users/{i}.")
    var url = "http://127.0.0.1:8080/events/news"
    @Option(name: .customLong("header"), help: "Extra request header for the streams, 'Name: value' (repeatable).")
    var headers: [String] = []
    @Option(help: "Streams to open.") var connections = 100
    @Option(help: "New streams per second (0: as fast as possible).") var ramp = 0
    @Option(help: "Publish API flavour: sluice, nchan or pushpin.") var target = "sluice"
    @Option(
        help: """
            Publish URL; '{channel}' is replaced (nchan: http://127.0.0.1:8091/pub?id={channel}). Default for \
            sluice: the stream URL's host and port with /_sluice/publish.
            """
    )
    var publishURL: String?
    @Option(help: "Publisher bearer token (sluice).") var token: String?
    @Option(help: "Channel to publish to; '{r}' becomes a random number below --channels.") var channel = "news"
    @Option(name: .customLong("channels"), help: "How many channels '{r}' ranges over.") var channelCount = 1
    @Option(
        help: """
            Events per second in all, sent on schedule (pipelined) whether or not earlier requests were answered, \
            each stamped with its due time (0: each publisher sends when its previous request is answered).
            """
    )
    var rate = 0
    @Option(help: "Events per publish request (NDJSON lines for sluice, items for pushpin).") var batch = 1
    @Option(help: "Concurrent publisher connections.") var publishers = 2
    @Option(help: "Seconds to publish (or, with --idle, to hold the streams).") var duration: Double = 10
    @Option(help: "Client event-loop threads.") var threads = 1
    @Flag(help: "Only open and hold the streams.") var idle = false
    @Flag(help: "Print one JSON document instead of a summary.") var json = false

    func validate() throws { _ = try options() }

    func run() async throws {
        let report = try await BenchRunner.run(options())
        FileHandleOutput.standardOutput(json ? report.json.serialized(.pretty) + "\n" : report.summary)
        if let failure = report.failure {
            FileHandleOutput.standardError("sluice bench: \(failure)\n")
            throw ExitCode(1)
        }
    }

    /// The command line as a run's options; a `ValidationError` names the first argument that is wrong.
    func options() throws -> BenchOptions {
        var options = BenchOptions()
        guard let stream = BenchAddress.endpoint(url) else {
            throw ValidationError("--url must look like http://HOST:PORT/path (port 1-65535, no spaces).")
        }
        guard let target = BenchOptions.Target(rawValue: target) else {
            throw ValidationError("--target must be sluice, nchan or pushpin.")
        }
        guard publishURL != nil || target == .sluice else {
            throw ValidationError("--publish-url is needed with --target \(target.rawValue).")
        }
        let publishText =
            publishURL ?? "http://\(BenchAddress.authority(host: stream.host, port: stream.port))/_sluice/publish"
        guard let publish = BenchAddress.endpoint(publishText) else {
            throw ValidationError("--publish-url must look like http://HOST:PORT/path (port 1-65535, no spaces).")
        }
        guard connections > 0, batch > 0, publishers > 0, threads > 0, channelCount > 0, duration > 0 else {
            throw ValidationError(
                "--connections, --batch, --publishers, --threads, --channels and --duration must be positive.")
        }
        guard ramp >= 0, rate >= 0 else { throw ValidationError("--ramp and --rate must be 0 or more.") }
        (options.host, options.port, options.path) = stream
        (options.publishHost, options.publishPort, options.publishPath) = publish
        options.headers = try headers.map { line in
            guard let header = BenchAddress.header(line) else {
                throw ValidationError(
                    "--header must look like 'Name: value', with a token for a name and no line break.")
            }
            return header
        }
        if let token, !token.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) {
            throw ValidationError("--token must not contain spaces or control characters.")
        }
        options.connections = connections
        options.ramp = ramp
        options.target = target
        options.token = token
        options.channel = channel
        options.channelCount = channelCount
        options.rate = rate
        options.batch = target == .nchan ? 1 : batch
        options.publishers = publishers
        options.duration = .milliseconds(Int64(duration * 1000))
        options.threads = threads
        options.idle = idle
        return options
    }
}
