import NIOCore

/// One publisher: a connection at a time, on one event loop.
///
/// Without a rate it runs a closed loop: a request, its answer, the next request, as fast as the server answers.
/// With a rate it runs an open loop: requests leave on a fixed schedule whether or not earlier ones were answered
/// (pipelined on the keep-alive connection), each stamped with the time it was due. A server that falls behind the
/// rate then shows it as latency, instead of slowing the publisher down and hiding the wait (coordinated omission).
///
/// A server that answers `Connection: close` (Pushpin's publish endpoint does, every time) gets a new connection, and
/// from then on one request per connection; requests it did not answer are sent again there with their original
/// stamps. A connection closed without that warning is counted as an error and ends the publisher.
final class PublishClient: ChannelInboundHandler, @unchecked Sendable {
    // Created before its first channel exists, then used only on its event loop.
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
    /// Completed when the publisher is done: every request answered or given up on, the connection closed.
    let finished: EventLoopPromise<Void>
    private let connect: @Sendable (PublishClient) -> EventLoopFuture<any Channel>
    private let deadline: UInt64
    private let interval: UInt64
    private var nextDue: UInt64
    /// Stamps of the requests on the current connection not yet answered, oldest first.
    private var inFlight = CircularBuffer<UInt64>()
    /// Stamps of requests due but not sent yet (they wait for a usable connection), oldest first.
    private var waiting = CircularBuffer<UInt64>()
    /// Requests that may be in flight on one connection: one once the server has shown it closes after each answer.
    private var pipelineLimit = Int.max
    private var sending = true
    /// The server said `Connection: close`: nothing more goes on this connection.
    private var serverCloses = false
    /// This client closed the connection because it is done (or gave up on the answers).
    private var closedByUs = false
    private var done = false
    private var context: ChannelHandlerContext?
    private var responses = ResponseScanner()
    private var generator = SystemRandomNumberGenerator()

    /// - Parameters:
    ///   - interval: nanoseconds between this client's requests; 0 for a closed loop.
    ///   - connect: opens a connection to the publish endpoint with this client as its handler.
    init(
        options: BenchOptions, errors: ErrorCounts, deadline: UInt64, interval: UInt64, start: UInt64,
        loop: any EventLoop, connect: @escaping @Sendable (PublishClient) -> EventLoopFuture<any Channel>
    ) {
        self.options = options
        self.errors = errors
        self.deadline = deadline
        self.interval = interval
        self.connect = connect
        nextDue = start
        finished = loop.makePromise()
    }

    /// Connects and publishes until the deadline; `finished` says when it is over.
    func start() {
        let loop = finished.futureResult.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let giveUp = deadline + Self.answerGrace - min(deadline + Self.answerGrace, monotonicNanoseconds())
        loop.scheduleTask(in: .nanoseconds(Int64(giveUp))) { bound.value.giveUp() }
        // The open loop's schedule runs from here on, whatever happens to connections.
        if interval > 0 { sendDue() }
        open()
    }

    private func open() {
        let bound = NIOLoopBound(self, eventLoop: finished.futureResult.eventLoop)
        connect(self).whenFailure { _ in
            let client = bound.value
            client.errors.add("publisher_connect_failed")
            client.finish()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        serverCloses = false
        responses = ResponseScanner()
        if interval == 0 && waiting.isEmpty && inFlight.isEmpty { sendNext() } else { pump() }
        closeIfDone()  // publishing time may have ended while this connection was being opened
    }

    /// Sends what waits, as far as the connection takes it.
    private func pump() {
        guard let context, !serverCloses else { return }
        var wrote = false
        while inFlight.count < pipelineLimit, let stamp = waiting.popFirst() {
            context.write(NIOAny(ByteBuffer(bytes: request(stamp: stamp))), promise: nil)
            inFlight.append(stamp)
            wrote = true
        }
        if wrote { context.flush() }
    }

    /// Open loop: queues every request whose time has come and sends what the connection takes, then sleeps until
    /// the next one is due.
    private func sendDue() {
        let now = monotonicNanoseconds()
        while nextDue <= now && nextDue < deadline {
            waiting.append(nextDue)
            nextDue += interval
        }
        pump()
        guard nextDue < deadline else {
            sending = false
            closeIfDone()
            return
        }
        let bound = NIOLoopBound(self, eventLoop: finished.futureResult.eventLoop)
        finished.futureResult.eventLoop.scheduleTask(in: .nanoseconds(Int64(nextDue - now))) {
            let client = bound.value
            if !client.done { client.sendDue() }
        }
    }

    /// Closed loop: sends one request now, unless publishing time is over.
    private func sendNext() {
        guard context != nil, !serverCloses else { return }
        let now = monotonicNanoseconds()
        guard now < deadline else {
            sending = false
            closeIfDone()
            return
        }
        waiting.append(now)
        pump()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        responses.append(unwrapInboundIn(data).readableBytesView)
        while let answer = responses.next() {
            guard inFlight.popFirst() != nil else {
                errors.add("publish_unexpected_answer")  // an answer to no request: count it, trust nothing after
                context.close(promise: nil)
                return
            }
            if (200..<300).contains(answer.status) {
                totals.events += options.batch
                totals.requests += 1
            } else {
                errors.add("publish_status_\(answer.status)")
            }
            if answer.closes {
                // The server answers nothing more here: what is still in flight goes again on a new connection.
                serverCloses = true
                pipelineLimit = 1
                for stamp in inFlight.reversed() { waiting.prepend(stamp) }
                inFlight.removeAll()
                context.close(promise: nil)
                return
            }
            if interval == 0 && sending && waiting.isEmpty { sendNext() }
        }
        pump()
        closeIfDone()
    }

    private func closeIfDone() {
        guard !sending, inFlight.isEmpty, waiting.isEmpty, let context, !closedByUs else { return }
        closedByUs = true
        context.close(promise: nil)
    }

    private func giveUp() {
        guard !done else { return }
        abandonPending()
        sending = false
        if let context, !closedByUs {
            closedByUs = true
            context.close(promise: nil)
        } else {
            finish()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        if closedByUs || done {
            finish()
        } else if serverCloses {
            // Closed as announced: carry on over a new connection if anything is left to send.
            if sending || !waiting.isEmpty { open() } else { finish() }
        } else {
            // Closed without warning (nginx, for one, closes after `keepalive_requests`): say so rather than
            // publish less in silence.
            errors.add("publish_connection_closed")
            abandonPending()
            finish()
        }
    }

    /// Counts every request sent or due and not answered as `publish_unanswered`, and forgets them.
    private func abandonPending() {
        errors.add("publish_unanswered", count: inFlight.count + waiting.count)
        inFlight.removeAll()
        waiting.removeAll()
    }

    private func finish() {
        guard !done else { return }
        done = true
        sending = false
        finished.succeed()
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
        let host = BenchAddress.authority(host: options.publishHost, port: options.publishPort)
        let head =
            "POST \(path) HTTP/1.1\r\nHost: \(host)\r\n\(auth)Content-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n"
        return Array((head + body).utf8)
    }
}
