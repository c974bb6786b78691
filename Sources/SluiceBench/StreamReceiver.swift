import NIOCore

/// One benchmark stream: checks the response is a `200` event stream, then counts events and measures each one's
/// latency from the `"t":` timestamp (monotonic nanoseconds) the publisher put in its data.
final class StreamReceiver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let stats: LoopStats
    private let errors: ErrorCounts
    private let request: ByteBuffer
    private let started: UInt64
    private var pending: [UInt8] = []
    private var headDone = false
    private var failed = false

    private static let eventStream = Array("text/event-stream".utf8)

    init(request: ByteBuffer, stats: LoopStats, errors: ErrorCounts, started: UInt64) {
        self.request = request
        self.stats = stats
        self.errors = errors
        self.started = started
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        pending += buffer.readableBytesView
        if !headDone {
            guard let end = HTTPHeadBytes.end(of: pending) else { return }
            let status = HTTPHeadBytes.status(in: pending, from: 0, to: end)
            guard status == 200 else { return refuse("status_\(status)", context: context) }
            guard
                let type = HTTPHeadBytes.value(of: HTTPHeadBytes.contentType, in: pending, from: 0, to: end),
                HTTPHeadBytes.startsWith(Self.eventStream, in: pending, at: type, before: end)
            else {
                // A 200 that is not an event stream (a page, a JSON answer): the URL is wrong, not slow.
                return refuse("not_event_stream", context: context)
            }
            headDone = true
            stats.established += 1
            stats.connect.record((monotonicNanoseconds() - started) / 1000)
            pending.removeSubrange(..<end)
        }
        scan()
    }

    /// Counts a stream the server did not open as one, and closes it.
    private func refuse(_ kind: String, context: ChannelHandlerContext) {
        errors.add(kind)
        failed = true
        context.close(promise: nil)
    }

    /// Reads every complete `"t":NUMBER` and keeps the incomplete tail for the next read.
    private func scan() {
        let now = monotonicNanoseconds()
        var i = 0
        var keepFrom = 0
        let n = pending.count
        pending.withUnsafeBufferPointer { p in
            while i + 4 < n {
                if p[i] == 0x22 && p[i + 1] == 0x74 && p[i + 2] == 0x22 && p[i + 3] == 0x3A {  // "t":
                    var j = i + 4
                    var value: UInt64 = 0
                    while j < n, p[j] >= 0x30, p[j] <= 0x39 {
                        value = value &* 10 &+ UInt64(p[j] - 0x30)
                        j += 1
                    }
                    if j == n {  // the number may go on in the next read
                        keepFrom = i
                        return
                    }
                    stats.delivered += 1
                    stats.lastDelivery = now
                    stats.latency.record(now > value ? (now - value) / 1000 : 0)
                    i = j
                } else {
                    i += 1
                }
            }
            keepFrom = Swift.max(0, n - 4)
        }
        pending.removeSubrange(..<Swift.min(keepFrom, pending.count))
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The run's own closes come after its report's error counts were taken, so this is the server's doing
        // (a slow-client cut-off, a lifetime, a restart): a stream lost mid-run is reported, not hidden.
        if !failed { errors.add(headDone ? "stream_closed" : "closed_before_response") }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        refuse("stream_error", context: context)
    }
}
