import NIOCore

/// One open SSE stream. Confined to its connection's event loop: every method runs there.
final class StreamSession: @unchecked Sendable {
    let id: String
    let ip: String
    let route: String
    let since: Int64
    let context: ChannelHandlerContext
    let shard: LoopShard
    private(set) var channels: [String] = []
    /// Where this session sits in each channel's subscriber list on its shard (for O(1) removal).
    var slots: [String: Int] = [:]
    var lastWrite: NIODeadline
    /// Written to since the shard's last flush pass, and how many bytes.
    var needsFlush = false
    var unflushedBytes = 0
    var lifetimeTimer: Scheduled<Void>?
    private(set) var isEnded = false

    init(id: String, ip: String, route: String, since: Int64, context: ChannelHandlerContext, shard: LoopShard) {
        self.id = id
        self.ip = ip
        self.route = route
        self.since = since
        self.context = context
        self.shard = shard
        lastWrite = .now()
    }

    func setChannels(_ names: [String]) { channels = names }

    /// Writes a pre-framed chunk and flushes it.
    @inline(__always)
    func send(_ frame: ByteBuffer, at now: NIODeadline) {
        context.writeAndFlush(NIOAny(frame), promise: nil)
        lastWrite = now
    }

    /// Writes a pre-framed chunk without flushing; the shard flushes once per burst, or at once when
    /// `flushAt` bytes are waiting (NIO counts unflushed bytes against the slow-client watermark).
    @inline(__always)
    func enqueue(_ frame: ByteBuffer, at now: NIODeadline, flushAt: Int) {
        context.write(NIOAny(frame), promise: nil)
        lastWrite = now
        unflushedBytes += frame.readableBytes
        if unflushedBytes >= flushAt {
            unflushedBytes = 0
            context.flush()
        }
    }

    /// Sends `end` (when the connection is still open), the final chunk, and closes.
    func end(_ frame: ByteBuffer?) {
        guard !isEnded else { return }
        isEnded = true
        lifetimeTimer?.cancel()
        if let frame { context.write(NIOAny(frame), promise: nil) }
        var last = context.channel.allocator.buffer(capacity: 5)
        last.writeBytes(HTTPWire.lastChunk)
        let channel = context.channel
        context.writeAndFlush(NIOAny(last)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Marks the session ended without writing (the peer is gone).
    func markEnded() {
        isEnded = true
        lifetimeTimer?.cancel()
    }
}
