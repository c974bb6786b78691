import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import SluiceCore
import Synchronization

/// The running gateway: listeners, connections and streams, as a `Service`.
///
/// `run()` binds, serves until graceful shutdown is triggered (SIGTERM or SIGINT through a `ServiceGroup`, or
/// task cancellation), then shuts down: it stops accepting, sends `end` to every stream, waits up to
/// `server.shutdownTimeout` for them to close, and closes whatever is left.
public final class GatewayServer: Service, Sendable {
    private let runtime: GatewayRuntime
    private let group: MultiThreadedEventLoopGroup
    private let ownsGroup: Bool
    private let logger: Logger
    private let listeners = Mutex<[any Channel]>([])
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let stopped = Mutex(false)
    private let counterTask = Mutex<RepeatedTask?>(nil)
    private let sweepTask = Mutex<RepeatedTask?>(nil)

    /// - Parameters:
    ///   - gateway: the compiled configuration.
    ///   - group: an event-loop group to run on; by default one is created with `server.threads` threads (one per
    ///     core when 0) and shut down with the server.
    public init(gateway: GatewayDescription, logger: Logger, group: MultiThreadedEventLoopGroup? = nil) {
        let threads = gateway.server.threads > 0 ? gateway.server.threads : System.coreCount
        self.group = group ?? MultiThreadedEventLoopGroup(numberOfThreads: threads)
        ownsGroup = group == nil
        self.logger = logger
        var loops: [any EventLoop] = []
        for loop in self.group.makeIterator() { loops.append(loop) }
        runtime = GatewayRuntime(
            gateway: gateway, loops: loops, logger: logger, epochMilliseconds: WallClock.unixMilliseconds)
    }

    /// The addresses the server listens on (the main listener first), once started.
    public var localAddresses: [SocketAddress] {
        listeners.withLock { $0.compactMap(\.localAddress) }
    }

    /// Binds the listeners and starts the heartbeats.
    public func start() async throws {
        let gateway = runtime.gateway
        let separateAPI = gateway.server.apiListen
        let main = try await bind(gateway.server.listen, servesAPI: separateAPI == nil, servesStreams: true)
        var bound = [main]
        if let api = separateAPI { bound.append(try await bind(api, servesAPI: true, servesStreams: false)) }
        listeners.withLock { $0 = bound }
        let interval = TimeAmount.nanoseconds(Int64(gateway.heartbeat.interval / .nanoseconds(1)))
        let heartbeat = runtime.heartbeatFrame
        for shard in runtime.hub.shards {
            shard.loop.execute { shard.startHeartbeat(every: interval, frame: heartbeat) }
        }
        // Counter states follow their channel's subscriber count, at most ten updates a second each.
        if runtime.gateway.states.contains(where: { $0.counts != nil }) {
            let states = runtime.states
            counterTask.withLock {
                $0 = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) {
                    _ in
                    states.refreshCounters()
                }
            }
        }
        // History ages out and unused channels are freed; a quarter of the shortest timeout between sweeps.
        let hub = runtime.hub
        let sweepEvery = Self.sweepInterval(runtime.gateway)
        sweepTask.withLock {
            $0 = group.next().scheduleRepeatedTask(initialDelay: sweepEvery, delay: sweepEvery) { _ in
                hub.sweepHistory()
            }
        }
        for channel in bound {
            let address = channel.localAddress.map { a in
                "\(a.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "?"):\(a.port ?? 0)"
            }
            logger.info("listening", metadata: ["sluice.address": "\(address ?? "?")"])
        }
        for route in gateway.routes {
            let channels = route.channels.map(\.source).joined(separator: ", ")
            logger.info("route", metadata: ["sluice.route": "\(route.pattern)", "sluice.channels": "\(channels)"])
        }
        if gateway.auth.publishers.isEmpty {
            logger.warning("no publisher tokens are configured: the publish API refuses every request")
        }
    }

    private func bind(_ address: ListenAddress, servesAPI: Bool, servesStreams: Bool) async throws -> any Channel {
        let runtime = self.runtime
        let buffer = runtime.gateway.limits.slowClientBuffer
        let bootstrap = ServerBootstrap(group: group)
            // A connect storm waits in the kernel's accept queue (capped by net.core.somaxconn) instead of being
            // dropped and retried a second later, and each loop tick accepts a good share of it.
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.maxMessagesPerRead, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: buffer / 2, high: buffer))
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { [weak self] channel in
                self?.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    // Plain requests are read by the fast decoder; it hands anything else to NIO's decoder.
                    try channel.pipeline.syncOperations.addHandler(HTTPRequestFastDecoder())
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionHandler(runtime: runtime, servesAPI: servesAPI, servesStreams: servesStreams))
                }
            }
        return try await bootstrap.bind(host: address.host, port: address.port).get()
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        connections.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.connections.withLock { $0.removeValue(forKey: id) }
        }
    }

    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops accepting, ends every stream with an `end` event, and closes what is still open after
    /// `server.shutdownTimeout`. Safe to call more than once.
    public func shutdown() async {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        runtime.beginShutdown()
        counterTask.withLock { $0?.cancel() }
        sweepTask.withLock { $0?.cancel() }
        logger.info("shutting down", metadata: ["sluice.streams": "\(runtime.registry.count)"])
        for listener in listeners.withLock({ $0 }) { try? await listener.close() }
        let end = runtime.endFrame("shutdown")
        for shard in runtime.hub.shards {
            shard.loop.execute {
                shard.stopHeartbeat()
                for session in shard.sessions.values { session.end(end) }
            }
        }
        let deadline = ContinuousClock.now + runtime.gateway.server.shutdownTimeout
        while runtime.registry.count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for channel in connections.withLock({ Array($0.values) }) { channel.close(promise: nil) }
        await runtime.hooks.shutdown()
        if ownsGroup { try? await group.shutdownGracefully() }
        logger.info("stopped")
    }

    // MARK: For tests and tools

    /// This run's epoch (its start in milliseconds), the first part of every event id it assigns.
    public var epoch: UInt64 { runtime.epoch }
    /// Events the history retains, their bytes, and the channels it tracks.
    public var historyUsage: (events: Int, bytes: Int, channels: Int) { runtime.hub.historyUsage }
    /// Open streams.
    public var streamCount: Int { runtime.registry.count }
    /// Subscriber counts of channels that have subscribers.
    public var channelCounts: [String: Int] {
        Dictionary(uniqueKeysWithValues: runtime.hub.counts().map { ($0.channel, $0.subscribers) })
    }
    /// Connection slots still reserved (must fall to zero once every stream is gone).
    public var reservedSlots: Int { runtime.registry.reservedCount }

    /// A quarter of the shortest history age or empty timeout, between 50 ms and 1 s.
    static func sweepInterval(_ gateway: GatewayDescription) -> TimeAmount {
        let timeouts = gateway.channels.declarations.flatMap { [$0.historyAge, $0.emptyTimeout].compactMap { $0 } }
        let shortest = timeouts.min() ?? .seconds(4)
        let quarter = max(Duration.milliseconds(50), min(.seconds(1), shortest / 4))
        return .nanoseconds(Int64(quarter / .nanoseconds(1)))
    }
}
