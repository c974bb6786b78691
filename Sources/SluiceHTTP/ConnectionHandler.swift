import Logging
import NIOCore
import NIOHTTP1
import SluiceCore
import SluiceJSON

/// One HTTP/1.1 connection: reads requests in order, answers API requests, or turns the connection into an SSE
/// stream. Requests are handled one at a time; parts of a pipelined request that arrive while a response is
/// pending wait in a queue, so responses keep the requests' order.
final class ConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private enum State {
        case idle
        /// A request being read (``request``).
        case receiving
        case waiting
        case streaming(StreamSession)
        case closed
    }

    /// A request being read, with its origin decided from the head (before any of the body is acted on), and its
    /// body so far or the batch that publishes it as it streams in. Kept apart from ``State`` so that each part
    /// read changes it in place.
    private struct Request {
        var head: HTTPRequestHead
        var origin: OriginPolicy.Decision
        var body: ByteBuffer?
        var batch: PublishBatch?
    }

    let runtime: GatewayRuntime
    /// Whether this listener serves the API (the main listener without `server.api.listen`, or the API listener).
    let servesAPI: Bool
    /// Whether this listener serves stream routes.
    let servesStreams: Bool
    private var state = State.idle
    private var request: Request?
    private var queued: [HTTPServerRequestPart] = []

    init(runtime: GatewayRuntime, servesAPI: Bool, servesStreams: Bool) {
        self.runtime = runtime
        self.servesAPI = servesAPI
        self.servesStreams = servesStreams
    }

    var session: StreamSession? {
        if case .streaming(let s) = state { return s }
        return nil
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch state {
        case .streaming, .closed:
            return  // a stream reads nothing more; the client only listens
        case .waiting:
            queued.append(part)
            return
        case .idle, .receiving:
            handle(part, context: context)
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            guard case .idle = state else { return }
            // A batch publishes while its body streams in, so it starts only for an allowed origin (a refused
            // origin's body is read, bounded, and answered 403 at its end).
            let origin = runtime.gateway.origins.decide(head.headers.first(name: "origin"))
            var batch: PublishBatch?
            if servesAPI, origin != .denied, head.method == .POST, isNDJSON(head), apiPath(head.uri) == "/publish" {
                batch = PublishBatch(runtime: runtime, headers: head.headers)
            }
            state = .receiving
            request = Request(head: head, origin: origin, body: nil, batch: batch)
        case .body(var chunk):
            guard case .receiving = state, request != nil else { return }
            if let batch = request!.batch {
                batch.feed(&chunk)
                if runtime.hub.isBacklogged { pauseReading(context: context) }
                return
            }
            let limit = runtime.gateway.limits.maxPayload * 2 + 65536
            if (request!.body?.readableBytes ?? 0) + chunk.readableBytes > limit {
                state = .waiting
                request = nil
                write(
                    HTTPResponse.error(413, "The request body is larger than \(limit) bytes."), keepAlive: false,
                    context: context)
                return
            }
            if request!.body == nil { request!.body = chunk } else { request!.body!.writeBuffer(&chunk) }
        case .end:
            guard case .receiving = state, let finished = request else { return }
            request = nil
            state = .waiting
            dispatch(
                finished.head, origin: finished.origin, body: finished.body, batch: finished.batch, context: context)
        }
    }

    private func isNDJSON(_ head: HTTPRequestHead) -> Bool {
        guard let type = head.headers.first(name: "content-type") else { return false }
        return ASCIICase.hasPrefix(type.utf8, "application/x-ndjson".utf8)
    }

    /// The path below the API prefix, or `nil` when the request is not for the API.
    private func apiPath(_ uri: String) -> String? {
        let below = Self.path(of: uri, below: runtime.gateway.server.apiPrefix)
        // Clients manage their own subscriptions where they opened their streams, even with a separate API listener.
        guard servesAPI || (servesStreams && below == "/subscriptions") else { return nil }
        return below.map(String.init)
    }

    /// The path of `uri` (its query left out) below `prefix` (`/` or a path without a trailing slash), or `nil`
    /// when it is not below it: `/_sluice/publish` → `/publish`, `/_sluice` → `/`, `/_sluicex` → `nil`.
    static func path(of uri: String, below prefix: String) -> Substring? {
        // Offsets found on the bytes (every request passes here); `?` and `/` are ASCII, so they are also
        // boundaries of the string.
        let utf8 = uri.utf8
        let end = utf8.firstIndex(of: UInt8(ascii: "?")) ?? utf8.endIndex
        if prefix == "/" { return Substring(uri)[..<end] }
        let prefixCount = prefix.utf8.count
        let pathCount = utf8.distance(from: utf8.startIndex, to: end)
        guard pathCount >= prefixCount, utf8.prefix(prefixCount).elementsEqual(prefix.utf8) else { return nil }
        if pathCount == prefixCount { return "/" }
        let restStart = utf8.index(utf8.startIndex, offsetBy: prefixCount)
        return utf8[restStart] == UInt8(ascii: "/") ? Substring(uri)[restStart..<end] : nil
    }

    // MARK: Dispatch

    private func dispatch(
        _ head: HTTPRequestHead, origin decision: OriginPolicy.Decision, body: ByteBuffer?, batch: PublishBatch?,
        context: ChannelHandlerContext
    ) {
        let keepAlive = head.isKeepAlive
        guard let target = RequestTarget(head.uri) else {
            runtime.metrics.refused(.badRequest)
            return write(
                HTTPResponse.error(400, "The query string is not valid percent-encoding."), keepAlive: keepAlive,
                context: context)
        }
        if decision == .denied {
            runtime.metrics.refused(.origin)
            let reason =
                head.headers.first(name: "origin").map { "The origin '\($0.prefix(200))' is not allowed." }
                ?? "Requests must carry an Origin header."
            return write(
                HTTPResponse.error(403, reason, headers: CORSHeaders.forDecision(decision)), keepAlive: keepAlive,
                context: context)
        }
        if head.method == .OPTIONS {
            let headers: [(String, String)]
            if head.headers.first(name: "access-control-request-method") != nil, decision != .noOrigin {
                headers = CORSHeaders.preflight(
                    decision, requestedHeaders: head.headers.first(name: "access-control-request-headers"))
            } else {
                headers =
                    CORSHeaders.forDecision(decision) + [("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")]
            }
            return write(HTTPResponse(status: 204, headers: headers), keepAlive: keepAlive, context: context)
        }
        let cors = CORSHeaders.forDecision(decision)
        if let path = apiPath(head.uri) {
            if let batch {
                var response = batch.finish()
                if !cors.isEmpty { response.headers += cors }
                return write(response, keepAlive: keepAlive, context: context)
            }
            let router = APIRouter(runtime: runtime)
            switch router.handle(
                method: head.method, path: path, query: target.query, headers: head.headers, body: body)
            {
            case .now(var response):
                if !cors.isEmpty { response.headers += cors }
                write(response, keepAlive: keepAlive, context: context)
            case .later(let future):
                future.hop(to: context.eventLoop).assumeIsolated().whenComplete { [self] result in
                    var response = (try? result.get()) ?? HTTPResponse.error(500, "The request failed.")
                    if !cors.isEmpty { response.headers += cors }
                    write(response, keepAlive: keepAlive, context: context)
                }
            }
            return
        }
        guard servesStreams, let match = runtime.gateway.routeTable.match(target.path) else {
            return write(
                HTTPResponse.error(404, "No route matches this path.", headers: cors), keepAlive: keepAlive,
                context: context)
        }
        guard head.method == .GET || head.method == .HEAD else {
            let response = HTTPResponse.error(
                405, "A stream route answers GET, HEAD and OPTIONS only.",
                headers: cors + [("Allow", "GET, HEAD, OPTIONS")])
            return write(response, keepAlive: keepAlive, context: context)
        }
        openStream(head: head, target: target, match: match, cors: cors, context: context)
    }

    // MARK: Writing

    /// Writes a complete response, then either closes or goes on with the next queued request.
    func write(_ response: HTTPResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        guard case .waiting = state else { return }
        let buffer = HTTPWire.response(
            status: response.status, headers: response.headers, body: response.body, keepAlive: keepAlive,
            allocator: context.channel.allocator)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            state = .idle
            let pending = queued
            queued = []
            for part in pending {
                if case .waiting = state {
                    queued.append(part)
                } else {
                    channelRead(context: context, data: NIOAny(part))
                }
            }
        } else {
            state = .closed
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Backpressure for streamed batches: stop reading the body until queued deliveries drain, checking again
    /// every millisecond on this connection's loop.
    private func pauseReading(context: ChannelHandlerContext) {
        let channel = context.channel
        let hub = runtime.hub
        channel.setOption(.autoRead, value: false).whenSuccess {
            @Sendable func check() {
                if hub.isBacklogged {
                    channel.eventLoop.scheduleTask(in: .milliseconds(1)) { check() }
                } else {
                    channel.setOption(.autoRead, value: true).whenSuccess { channel.read() }
                }
            }
            check()
        }
    }

    func becomeStreaming(_ session: StreamSession) { state = .streaming(session) }

    func becomeClosed() { state = .closed }

    /// Whether a request is being answered (a stream waiting for its hook is).
    var isWaiting: Bool {
        if case .waiting = state { return true }
        return false
    }

    // MARK: Lifecycle

    func channelInactive(context: ChannelHandlerContext) {
        if let session { closeStream(session) }
        state = .closed
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let session, session.isReplaying {
            // A replay fills the connection on purpose, and continues as it drains.
            if context.channel.isWritable { session.pumpReplay() }
        } else if let session, !context.channel.isWritable, !session.isEnded {
            // The subscriber's unsent bytes passed the slow-client buffer: cut it off, it resumes later.
            runtime.metrics.slowClientsCut.add(1, ordering: .relaxed)
            runtime.logger.debug("slow client disconnected", metadata: ["sluice.client.id": "\(session.id)"])
            session.markEnded()
            context.close(promise: nil)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError, case .idle = state {
            state = .waiting
            runtime.metrics.refused(.badRequest)
            write(HTTPResponse.error(400, "The request is not valid HTTP/1.1."), keepAlive: false, context: context)
            return
        }
        context.close(promise: nil)
    }
}
