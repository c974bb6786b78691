import NIOCore
import NIOPosix
import Synchronization

/// A TCP client that records every byte it receives, for byte-exact checks of what the gateway writes.
final class RawClient: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])
        let closed = Mutex(false)
        /// When each read arrived and how many bytes had arrived by then (recorded on the event loop, so test-task
        /// scheduling delays do not distort it).
        let arrivals = Mutex<[(total: Int, at: ContinuousClock.Instant)]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            let now = ContinuousClock.now
            let total = bytes.withLock { bytes in
                bytes += buffer.readableBytesView
                return bytes.count
            }
            arrivals.withLock { $0.append((total, now)) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed.withLock { $0 = true }
        }
    }

    let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// - Parameter autoRead: `false` makes a client that never reads (a slow subscriber).
    static func connect(port: Int, autoRead: Bool = true) async throws -> RawClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: TestGateway.group)
            .channelOption(.autoRead, value: autoRead)
            .channelOption(.socketOption(.so_rcvbuf), value: autoRead ? 1 << 20 : 4096)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawClient(channel: channel, collector: collector)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Sends a GET for an SSE stream, keeping the connection open.
    func openStream(_ path: String, headers: [String: String] = [:]) async throws {
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        try await send(text + "\r\n")
    }

    var bytes: [UInt8] { collector.bytes.withLock { $0 } }

    /// When the received bytes first contained `marker`.
    func arrival(of marker: String) -> ContinuousClock.Instant? {
        let all = bytes
        let needle = Array(marker.utf8)
        for (total, at) in collector.arrivals.withLock({ $0 }) where all[..<total].firstRange(of: needle) != nil {
            return at
        }
        return nil
    }
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var isClosed: Bool { collector.closed.withLock { $0 } }

    /// The body of a chunked response received so far, de-chunked.
    var body: String { HTTPTestResponse.dechunk(text) }

    /// Waits until the received text satisfies `condition`; returns it.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Duration = .seconds(10), _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = text
            if condition(current) { return current }
            if isClosed && !condition(text) { throw TestFailure("connection closed before \(what); got:\n\(current)") }
            if ContinuousClock.now > deadline { throw TestFailure("timed out waiting for \(what); got:\n\(current)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Waits until the body (de-chunked) contains `text`.
    @discardableResult
    func waitForBody(containing text: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await waitFor("'\(text)'", timeout: timeout) { HTTPTestResponse.dechunk($0).contains(text) }
        return body
    }

    func waitUntilClosed(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !isClosed {
            if ContinuousClock.now > deadline {
                throw TestFailure("timed out waiting for the server to close; got:\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func close() { channel.close(promise: nil) }
}
