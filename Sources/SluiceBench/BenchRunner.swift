import Glibc
import NIOCore
import NIOPosix

/// Runs a benchmark: opens the streams, publishes for the duration, waits for the last events, and reports.
public enum BenchRunner {
    public static func run(_ options: BenchOptions) async throws -> BenchReport {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
        do {
            let report = try await run(options, on: group)
            try? await group.shutdownGracefully()
            return report
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func run(_ options: BenchOptions, on group: MultiThreadedEventLoopGroup) async throws -> BenchReport
    {
        var loops: [any EventLoop] = []
        for loop in group.makeIterator() { loops.append(loop) }
        let stats = loops.map { _ in LoopStats() }
        let errors = ErrorCounts()
        // Resolved once: a name lookup per connect would cost the client more than the server's whole accept.
        let address = try SocketAddress.makeAddressResolvingHost(options.host, port: options.port)
        let cpuBefore = cpuSeconds()
        let wallStart = monotonicNanoseconds()

        // Open the streams: at the ramp rate if one is set, else with up to 256 connects in flight.
        let rampGap: UInt64 = options.ramp > 0 ? 1_000_000_000 / UInt64(options.ramp) : 0
        let streams: [any Channel] = try await withThrowingTaskGroup(of: (any Channel)?.self) { group in
            var opened: [any Channel] = []
            var inFlight = 0
            for i in 0..<options.connections {
                if rampGap > 0 {
                    let due = wallStart + UInt64(i) * rampGap
                    let now = monotonicNanoseconds()
                    if due > now { try await Task.sleep(for: .nanoseconds(Int64(due - now))) }
                } else if inFlight >= 256, let done = try await group.next() {
                    inFlight -= 1
                    if let channel = done { opened.append(channel) }
                }
                inFlight += 1
                let loop = loops[i % loops.count]
                let loopStats = stats[i % loops.count]
                group.addTask {
                    try? await openStream(
                        i, options: options, address: address, loop: loop, stats: loopStats, errors: errors)
                }
            }
            for try await channel in group { if let channel { opened.append(channel) } }
            return opened
        }
        // Wait until every stream answered (or failed).
        let settleDeadline = monotonicNanoseconds() + 30_000_000_000
        while monotonicNanoseconds() < settleDeadline {
            let established = try await gather(loops, stats).established
            if established + errors.snapshot.values.reduce(0, +) >= options.connections { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let connectDone = monotonicNanoseconds()
        let connectCPU = cpuSeconds() - cpuBefore

        var published = 0
        var requests = 0
        var publishStart = connectDone
        if options.idle {
            try await Task.sleep(for: options.duration)
        } else {
            publishStart = monotonicNanoseconds()
            let deadline = publishStart + UInt64(options.duration / .nanoseconds(1))
            let perClientRate = options.rate > 0 ? Double(options.rate) / Double(options.batch * options.publishers) : 0
            let interval = perClientRate > 0 ? UInt64(1e9 / perClientRate) : 0
            let publishAddress = try SocketAddress.makeAddressResolvingHost(
                options.publishHost, port: options.publishPort)
            var clients: [PublishClient] = []
            for p in 0..<options.publishers {
                let loop = loops[p % loops.count]
                let client = PublishClient(
                    options: options, errors: errors, deadline: deadline, interval: interval,
                    start: publishStart + (interval > 0 ? interval * UInt64(p) / UInt64(options.publishers) : 0),
                    loop: loop
                ) { client in
                    ClientBootstrap(group: loop)
                        .channelOption(.socketOption(.tcp_nodelay), value: 1)
                        .connectTimeout(.seconds(10))
                        .channelInitializer { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(client)
                            }
                        }
                        .connect(to: publishAddress)
                }
                loop.execute { client.start() }
                clients.append(client)
            }
            for client in clients { try? await client.finished.futureResult.get() }
            try await Task.sleep(for: options.drain)
            for client in clients {
                let loop = client.finished.futureResult.eventLoop
                let totals = try await loop.submit { (client.totals.events, client.totals.requests) }.get()
                published += totals.0
                requests += totals.1
            }
        }
        let merged = try await gather(loops, stats)
        // Taken before the streams are closed: what closes from here on is the run's own doing.
        let errorCounts = errors.snapshot
        for channel in streams { channel.close(promise: nil) }
        let wall = Double(monotonicNanoseconds() - wallStart) / 1e9
        let cpu = cpuSeconds() - cpuBefore
        let deliverySpan = merged.lastDelivery > publishStart ? Double(merged.lastDelivery - publishStart) / 1e9 : 0
        return BenchReport(
            options: options, established: merged.established, failed: options.connections - merged.established,
            connect: merged.connect, connectSeconds: Double(connectDone - wallStart) / 1e9, published: published,
            requests: requests, delivered: merged.delivered, deliverySeconds: deliverySpan, latency: merged.latency,
            errors: errorCounts, clientCPU: cpu, wallSeconds: wall, connectCPU: connectCPU)
    }

    /// Connects stream `i`; the receiver sends the request once connected.
    private static func openStream(
        _ i: Int, options: BenchOptions, address: SocketAddress, loop: any EventLoop, stats: LoopStats,
        errors: ErrorCounts
    ) async throws -> (any Channel)? {
        let path = options.path.replacing("{i}", with: String(i))
        let host = BenchAddress.authority(host: options.host, port: options.port)
        var text = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nAccept: text/event-stream\r\n"
        for (name, value) in options.headers { text += "\(name): \(value)\r\n" }
        let request = ByteBuffer(string: text + "\r\n")
        let started = monotonicNanoseconds()
        do {
            return try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            StreamReceiver(request: request, stats: stats, errors: errors, started: started))
                    }
                }
                .connect(to: address).get()
        } catch {
            errors.add("connect_failed")
            return nil
        }
    }

    /// Merges every loop's statistics, reading each on its own loop.
    private static func gather(_ loops: [any EventLoop], _ stats: [LoopStats]) async throws -> LoopStats {
        let merged = LoopStats()
        for (loop, s) in zip(loops, stats) {
            let copy = try await loop.submit { () -> LoopStatsSnapshot in LoopStatsSnapshot(s) }.get()
            merged.latency.merge(copy.latency)
            merged.connect.merge(copy.connect)
            merged.delivered += copy.delivered
            merged.established += copy.established
            merged.lastDelivery = max(merged.lastDelivery, copy.lastDelivery)
        }
        return merged
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// A copy of one loop's statistics taken on that loop.
struct LoopStatsSnapshot: Sendable {
    var latency: LatencyHistogram
    var connect: LatencyHistogram
    var delivered: UInt64
    var established: Int
    var lastDelivery: UInt64

    init(_ s: LoopStats) {
        latency = s.latency
        connect = s.connect
        delivered = s.delivered
        established = s.established
        lastDelivery = s.lastDelivery
    }
}
