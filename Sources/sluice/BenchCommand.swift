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

    func run() async throws {
        var options = BenchOptions()
        guard let stream = Self.split(url) else { throw ValidationError("--url must look like http://HOST:PORT/path.") }
        guard let target = BenchOptions.Target(rawValue: target) else {
            throw ValidationError("--target must be sluice, nchan or pushpin.")
        }
        guard publishURL != nil || target == .sluice else {
            throw ValidationError("--publish-url is needed with --target \(target.rawValue).")
        }
        let publishText = publishURL ?? "http://\(stream.0):\(stream.1)/_sluice/publish"
        guard let publish = Self.split(publishText) else {
            throw ValidationError("--publish-url must look like http://HOST:PORT/path.")
        }
        guard connections > 0, batch > 0, publishers > 0, threads > 0, channelCount > 0, duration > 0 else {
            throw ValidationError(
                "--connections, --batch, --publishers, --threads, --channels and --duration must be positive.")
        }
        (options.host, options.port, options.path) = stream
        (options.publishHost, options.publishPort, options.publishPath) = publish
        options.headers = headers.compactMap { header in
            guard let colon = header.firstIndex(of: ":") else { return nil }
            return (String(header[..<colon]), String(header[header.index(after: colon)...].drop { $0 == " " }))
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
        let report = try await BenchRunner.run(options)
        FileHandleOutput.standardOutput(json ? report.json.serialized(.pretty) + "\n" : report.summary)
    }

    /// `http://host:port/path` → (host, port, path).
    static func split(_ url: String) -> (String, Int, String)? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst(7)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...])
        else {
            return (String(authority), 80, path)
        }
        return (String(authority[..<colon]), port, path)
    }
}
