import NIOCore
import SluiceCore
import SluiceHooks

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
    let opened = ContinuousClock.now
    /// The `onDisconnect` hook to call when the stream ends, and what it is told.
    var onDisconnect: (HookSpec, HookRequest)?
    /// What the client may subscribe to itself (routes with `subscribe:`), with the secret proving it is the client.
    var dynamic: DynamicSubscriptions?
    private(set) var isEnded = false
    /// Live events at or below this sequence number were published before the stream opened, or are in its replay.
    var skipThrough: UInt64 = 0
    /// Replay frames not yet written; while there are any, live frames wait in `held`.
    private var pendingReplay: CircularBuffer<ByteBuffer>?
    private var held: [ByteBuffer] = []
    private var heldBytes = 0
    /// Live bytes that may wait behind a replay before the stream is cut off as too slow.
    private var heldLimit = 0

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
        lastWrite = now
        if pendingReplay != nil { return hold(frame) }
        context.writeAndFlush(NIOAny(frame), promise: nil)
    }

    /// Writes a pre-framed chunk without flushing; the shard flushes once per burst, or at once when
    /// `flushAt` bytes are waiting (NIO counts unflushed bytes against the slow-client watermark).
    @inline(__always)
    func enqueue(_ frame: ByteBuffer, at now: NIODeadline, flushAt: Int) {
        lastWrite = now
        if pendingReplay != nil { return hold(frame) }
        context.write(NIOAny(frame), promise: nil)
        unflushedBytes += frame.readableBytes
        if unflushedBytes >= flushAt {
            unflushedBytes = 0
            context.flush()
        }
    }

    /// Whether a replay is still being written (the connection filling up is then the replay's doing, not a slow
    /// reader's).
    var isReplaying: Bool { pendingReplay != nil }

    /// Writes a resume's frames before any live one, as fast as the connection takes them: never more than the
    /// slow-client buffer waits in memory, and live frames arriving meanwhile wait behind (up to `heldLimit` bytes).
    func startReplay(_ frames: [ByteBuffer], heldLimit: Int) {
        guard !frames.isEmpty else { return }
        self.heldLimit = heldLimit
        pendingReplay = CircularBuffer(frames)
        pumpReplay()
    }

    /// Writes replay frames while the connection is writable; called again when it becomes writable.
    func pumpReplay() {
        guard pendingReplay != nil, !isEnded else { return }
        var unflushed = 0
        while context.channel.isWritable, let frame = pendingReplay?.popFirst() {
            unflushed += frame.readableBytes
            context.write(NIOAny(frame), promise: nil)
            if unflushed >= 64 << 10 {
                context.flush()
                unflushed = 0
            }
        }
        guard pendingReplay?.isEmpty == true else {
            context.flush()
            return
        }
        pendingReplay = nil
        for frame in held { context.write(NIOAny(frame), promise: nil) }
        held = []
        heldBytes = 0
        context.flush()
    }

    private func hold(_ frame: ByteBuffer) {
        held.append(frame)
        heldBytes += frame.readableBytes
        if heldBytes > heldLimit && !isEnded {
            // Live events pile up faster than the replay drains: cut off like any slow reader; it resumes.
            shard.metrics.slowClientsCut.add(1, ordering: .relaxed)
            markEnded()
            held = []
            pendingReplay = nil
            context.close(promise: nil)
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
