import NIOCore

/// One publisher connection.
///
/// Without a rate it runs a closed loop: a request, its answer, the next request, as fast as the server answers.
/// With a rate it runs an open loop: requests leave on a fixed schedule whether or not earlier ones were answered
/// (pipelined on the keep-alive connection), each stamped with the time it was due. A server that falls behind the
/// rate then shows it as latency, instead of slowing the publisher down and hiding the wait (coordinated omission).
final class PublishClient: ChannelInboundHandler, @unchecked Sendable {
    // Created before its channel exists, then used only on that channel's event loop.
    typealias InboundIn = ByteBuffer

    final class Totals: @unchecked Sendable {
        // Touched only on this client's event loop while it runs.
        var events = 0
        var requests = 0
    }

    /// How long answers may take after the last request before the publisher gives up on them.
    static let answerGrace: UInt64 = 10_000_000_000

    private let options: BenchOptions
    private let errors: ErrorCounts
    let totals = Totals()
    private let deadline: UInt64
    private let interval: UInt64
    private var nextDue: UInt64
    private var unanswered = 0
    private var sending = true
    /// Set when this client closes the connection because it is done (or gave up on the answers).
    private var closedByUs = false
    private var active = true
    private var responses = ResponseScanner()
    private var generator = SystemRandomNumberGenerator()

    /// - Parameter interval: nanoseconds between this client's requests; 0 for a closed loop.
    init(options: BenchOptions, errors: ErrorCounts, deadline: UInt64, interval: UInt64, start: UInt64) {
        self.options = options
        self.errors = errors
        self.deadline = deadline
        self.interval = interval
        nextDue = start
    }

    func channelActive(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let giveUp = deadline + Self.answerGrace - min(deadline + Self.answerGrace, monotonicNanoseconds())
        context.eventLoop.scheduleTask(in: .nanoseconds(Int64(giveUp))) {
            let (client, context) = bound.value
            client.giveUp(context)
        }
        if interval > 0 { sendDue(context) } else { sendNext(context) }
    }

    /// Open loop: sends every request whose time has come, then sleeps until the next one is due.
    private func sendDue(_ context: ChannelHandlerContext) {
        let now = monotonicNanoseconds()
        var wrote = false
        while nextDue <= now && nextDue < deadline {
            context.write(NIOAny(ByteBuffer(bytes: request(stamp: nextDue))), promise: nil)
            unanswered += 1
            nextDue += interval
            wrote = true
        }
        if wrote { context.flush() }
        guard nextDue < deadline else {
            finishSending(context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .nanoseconds(Int64(nextDue - min(nextDue, now)))) {
            let (client, context) = bound.value
            if client.active { client.sendDue(context) }
        }
    }

    /// Closed loop: sends one request now, unless publishing time is over.
    private func sendNext(_ context: ChannelHandlerContext) {
        let now = monotonicNanoseconds()
        guard now < deadline else {
            finishSending(context)
            return
        }
        context.writeAndFlush(NIOAny(ByteBuffer(bytes: request(stamp: now))), promise: nil)
        unanswered += 1
    }

    private func finishSending(_ context: ChannelHandlerContext) {
        sending = false
        if unanswered == 0 { close(context) }
    }

    private func giveUp(_ context: ChannelHandlerContext) {
        guard active else { return }
        for _ in 0..<unanswered { errors.add("publish_unanswered") }
        close(context)
    }

    private func close(_ context: ChannelHandlerContext) {
        guard active, !closedByUs else { return }
        closedByUs = true
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        responses.append(unwrapInboundIn(data).readableBytesView)
        while let status = responses.next() {
            unanswered -= 1
            if (200..<300).contains(status) {
                totals.events += options.batch
                totals.requests += 1
            } else {
                errors.add("publish_status_\(status)")
            }
            if interval == 0 && sending { sendNext(context) }
        }
        if !sending && unanswered == 0 { close(context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The server closed the connection while requests were due or unanswered (nginx, for one, closes a
        // keep-alive connection after `keepalive_requests`): say so rather than publish less in silence.
        if !closedByUs {
            errors.add("publish_connection_closed")
            for _ in 0..<unanswered { errors.add("publish_unanswered") }
        }
        active = false
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        errors.add("publish_error")
        context.close(promise: nil)
    }

    private func channel() -> String {
        guard options.channelCount > 1 else { return options.channel.replacing("{r}", with: "0") }
        return options.channel.replacing("{r}", with: String(generator.next() % UInt64(options.channelCount)))
    }

    /// The next publish request in the target's format, its events stamped with `t` (monotonic nanoseconds).
    func request(stamp t: UInt64) -> [UInt8] {
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
