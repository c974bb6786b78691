import Glibc
import Logging
import NIOCore
import NIOPosix
import SluiceConfig
import SluiceCore
import SluiceHTTP
import Testing

/// A real gateway listening on 127.0.0.1 with an ephemeral port, built from YAML through the real loader.
final class TestGateway: Sendable {
    static let group: MultiThreadedEventLoopGroup = {
        // The gateway and its test clients share this process: allow as many descriptors as the system lets us.
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return MultiThreadedEventLoopGroup(numberOfThreads: 2)
    }()

    let server: GatewayServer
    let port: Int
    let apiPort: Int?

    /// - Parameter yaml: the configuration below `version: 1`; `server.listen` is forced to `127.0.0.1:0`
    ///   unless the text sets `server:` itself.
    /// - Parameter logs: where the gateway logs (at trace level) when given; nothing is logged otherwise.
    init(_ yaml: String, environment: [String: String] = [:], logs: LogCapture? = nil) async throws {
        var text = "version: 1\n" + yaml
        if !yaml.contains("server:") { text += "\nserver: { listen: \"127.0.0.1:0\" }\n" }
        let result = ConfigLoader.load(
            bytes: Array(text.utf8), path: "test.yaml", baseDirectory: "/tmp", environment: environment)
        let errors = result.diagnostics.filter { $0.severity == .error }.map { "\($0.code): \($0.message)" }
        let gateway = try #require(result.description, "configuration errors: \(errors)")
        var logger = Logger(label: "sluice.test")
        logger.logLevel = .critical
        if let logs {
            logger = Logger(label: "sluice.test") { _ in logs }
            logger.logLevel = .trace
        }
        server = GatewayServer(gateway: gateway, logger: logger, group: Self.group)
        try await server.start()
        let addresses = server.localAddresses
        port = try #require(addresses.first?.port)
        apiPort = addresses.count > 1 ? addresses[1].port : nil
    }

    func stop() async { await server.shutdown() }

    /// Opens a raw connection to the main listener.
    func connect() async throws -> RawClient { try await RawClient.connect(port: port) }

    /// Opens a stream on `path` and waits for its first event (`connected`, or a refusal's `error`).
    func stream(_ path: String, headers: [String: String] = [:]) async throws -> RawClient {
        let client = try await connect()
        try await client.openStream(path, headers: headers)
        try await client.waitForBody(containing: "event: ")
        return client
    }

    /// Sends one request on a fresh connection and reads the whole response.
    func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil, port: Int? = nil
    ) async throws -> HTTPTestResponse {
        let client = try await RawClient.connect(port: port ?? self.port)
        defer { client.close() }
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        try await client.send(text)
        try await client.waitUntilClosed()
        return try #require(HTTPTestResponse(client.text))
    }

    /// Publishes with the test publisher token.
    @discardableResult
    func publish(_ json: String, token: String = TestGateway.publisherToken) async throws -> HTTPTestResponse {
        try await request("POST", "/_sluice/publish", headers: ["Authorization": "Bearer \(token)"], body: json)
    }

    /// Waits for a condition on the server's state (disconnects are noticed asynchronously).
    func eventually(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { throw TestFailure("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    static let publisherToken = "test-publisher-token"
    static let adminToken = "test-admin-token"
    /// An `auth:` section with the test tokens.
    static let authSection = """
        auth:
          publishers: [{ token: "${P:-\(publisherToken)}" }]
          admins: [{ token: "${A:-\(adminToken)}" }]
        """
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
