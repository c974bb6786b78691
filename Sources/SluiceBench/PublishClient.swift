import NIOCore

/// One publisher connection in a closed loop: send a request, read the answer, send the next (paced when a
/// rate is set) until the deadline.
final class PublishClient: ChannelInboundHandler, @unchecked Sendable {
    // Created before its channel exists, then used only on that channel's event loop.
    typealias InboundIn = ByteBuffer

    final class Totals: @unchecked Sendable {
        // Touched only on this client's event loop while it runs.
        var events = 0
        var requests = 0
    }

    private let options: BenchOptions
    private let errors: ErrorCounts
    let totals = Totals()
    private let deadline: UInt64
    private let interval: UInt64
    private var nextSend: UInt64
    private var pending: [UInt8] = []
    private var generator = SystemRandomNumberGenerator()

    /// - Parameter interval: nanoseconds between this client's requests; 0 for as fast as answers come.
    init(options: BenchOptions, errors: ErrorCounts, deadline: UInt64, interval: UInt64, start: UInt64) {
        self.options = options
        self.errors = errors
        self.deadline = deadline
        self.interval = interval
        nextSend = start
    }

    func channelActive(context: ChannelHandlerContext) { schedule(context) }

    private func schedule(_ context: ChannelHandlerContext) {
        let now = monotonicNanoseconds()
        if now >= deadline {
            context.close(promise: nil)
            return
        }
        if interval > 0 && nextSend > now {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .nanoseconds(Int64(nextSend - now))) {
                let (client, context) = bound.value
                client.send(context)
            }
        } else {
            send(context)
        }
    }

    private func send(_ context: ChannelHandlerContext) {
        nextSend = Swift.max(nextSend, monotonicNanoseconds()) + interval
        context.writeAndFlush(NIOAny(ByteBuffer(bytes: request())), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending += unwrapInboundIn(data).readableBytesView
        guard let end = pending.firstRange(of: [13, 10, 13, 10]) else { return }
        let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self).lowercased()
        let length =
            head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst(15).trimmingPrefix(" ")) } ?? 0
        guard pending.count >= end.upperBound + length else { return }
        let status = Int(head.dropFirst(9).prefix(3)) ?? 0
        if (200..<300).contains(status) {
            totals.events += options.batch
            totals.requests += 1
        } else {
            errors.add("publish_status_\(status)")
        }
        pending.removeSubrange(..<(end.upperBound + length))
        schedule(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        errors.add("publish_error")
        context.close(promise: nil)
    }

    private func channel() -> String {
        guard options.channelCount > 1 else { return options.channel.replacing("{r}", with: "0") }
        return options.channel.replacing("{r}", with: String(generator.next() % UInt64(options.channelCount)))
    }

    /// The next publish request in the target's format, stamped with the current monotonic time.
    func request() -> [UInt8] {
        let t = monotonicNanoseconds()
        let data = "{\"t\":\(t)}"
        var path = options.publishPath
        var body = ""
        var contentType = "application/json"
        var auth = ""
        if let token = options.token { auth = "Authorization: Bearer \(token)\r\n" }
        switch options.target {
        case .sluice:
            if options.batch > 1 {
                contentType = "application/x-ndjson"
                for _ in 0..<options.batch { body += "{\"channel\":\"\(channel())\",\"data\":\(data)}\n" }
            } else {
                body = "{\"channel\":\"\(channel())\",\"data\":\(data)}"
            }
        case .nchan:
            path = path.replacing("{channel}", with: channel())
            body = data
        case .pushpin:
            let item = { (c: String) in
                "{\"channel\":\"\(c)\",\"formats\":{\"http-stream\":{\"content\":\"data: {\\\"t\\\":\(t)}\\n\\n\"}}}"
            }
            body = "{\"items\":[" + (0..<options.batch).map { _ in item(channel()) }.joined(separator: ",") + "]}"
        }
        let head =
            "POST \(path) HTTP/1.1\r\nHost: \(options.publishHost)\r\n\(auth)Content-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n"
        return Array((head + body).utf8)
    }
}
