import NIOCore
import SluiceHistory
import Synchronization

/// Numbers, retains and routes published events to the event loops that have subscribers.
///
/// One lock guards how many subscribers each channel has on each loop and the history. Under it an event gets its
/// sequence number, is encoded once, retained, and handed to each loop in sequence order; a stream that opens (or
/// resumes) registers and plans its replay under it too. So every event either is in a stream's replay or reaches
/// it live (a session skips live events at or below what its replay covered): no gap, no duplicate. The lock is
/// taken once per event and once per subscription, never per subscriber; delivery runs on the subscribers' loops
/// (``LoopShard``).
final class ChannelHub: Sendable {
    /// A channel's reach, read for every event: plain values, so a lookup touches no other object.
    private struct Entry {
        var total = 0
        /// Which shards have subscribers, as bits (shards beyond 64 share the last bit).
        var shards: UInt64 = 0
    }

    private struct State {
        var index: [String: Entry] = [:]
        /// Subscribers per shard of each channel, read only when subscriptions change (with more than one shard).
        var perShard: [String: [Int]] = [:]
        var history: HistoryStore
    }

    let shards: [LoopShard]
    private let shardByLoop: [ObjectIdentifier: LoopShard]
    private let state: Mutex<State>
    private let frames: SSEFrameEncoder

    /// How many deliveries handed to loops and not yet run make publishers wait.
    static let backlogLimit = 4096

    /// Whether publishers should stop reading until deliveries catch up: the shards' own counts of deliveries
    /// handed to them, summed.
    var isBacklogged: Bool {
        shards.reduce(0) { $0 + $1.handedOverCount } > Self.backlogLimit
    }

    init(
        loops: [any EventLoop], metrics: GatewayMetrics, slowClientBuffer: Int, history: HistoryStore,
        frames: SSEFrameEncoder
    ) {
        shards = loops.enumerated().map {
            LoopShard(index: $0.offset, loop: $0.element, metrics: metrics, slowClientBuffer: slowClientBuffer)
        }
        shardByLoop = Dictionary(uniqueKeysWithValues: shards.map { (ObjectIdentifier($0.loop), $0) })
        state = Mutex(State(history: history))
        self.frames = frames
    }

    /// The shard of an event loop of this hub's group.
    func shard(for loop: any EventLoop) -> LoopShard {
        shardByLoop[ObjectIdentifier(loop)]!
    }

    /// Subscribes a new stream (on its loop) to all its channels at once, or to none when one of them is full, and
    /// plans what it gets before live events: nothing, or with `lastEventID` the replay of what it missed.
    ///
    /// - Parameters:
    ///   - limit: a channel's subscriber limit (`0`: none).
    ///   - covered: channels whose current state the stream gets as a snapshot (never reset).
    /// - Returns: the plan, or the first channel that is full.
    func open(
        _ session: StreamSession, channels: [String], limit: (String) -> Int, lastEventID: String?,
        covered: (String) -> Bool
    ) -> Result<ResumePlan, ChannelFull> {
        let limits = channels.map(limit)
        let result = state.withLock { state -> Result<ResumePlan, ChannelFull> in
            for (channel, limit) in zip(channels, limits) where limit > 0 {
                if let entry = state.index[channel], entry.total >= limit { return .failure(ChannelFull(channel)) }
            }
            for channel in channels { Self.register(&state, channel, shard: session.shard, shards: shards.count) }
            let head = state.history.head
            guard let lastEventID else {
                return .success(ResumePlan(through: head))
            }
            return .success(state.history.resume(after: lastEventID, channels: channels, covered: covered, now: .now()))
        }
        if case .success(let plan) = result {
            session.skipThrough = plan.through
            for channel in channels { session.shard.add(session, to: channel) }
        }
        return result
    }

    struct ChannelFull: Error {
        let channel: String
        init(_ channel: String) { self.channel = channel }
    }

    /// Subscribes an open session (on its loop) to one more channel unless it already has `limit` subscribers.
    func subscribe(_ session: StreamSession, to channel: String, limit: Int) -> Bool {
        let admitted = state.withLock { state -> Bool in
            if limit > 0, let entry = state.index[channel], entry.total >= limit { return false }
            Self.register(&state, channel, shard: session.shard, shards: shards.count)
            return true
        }
        if admitted { session.shard.add(session, to: channel) }
        return admitted
    }

    private static func bit(_ shard: Int) -> UInt64 { 1 << min(shard, 63) }

    private static func register(_ state: inout State, _ channel: String, shard: LoopShard, shards: Int) {
        state.index[channel, default: Entry()].total += 1
        state.index[channel]!.shards |= bit(shard.index)
        if shards > 1 { state.perShard[channel, default: Array(repeating: 0, count: shards)][shard.index] += 1 }
    }

    /// Removes a session (on its loop) from a channel.
    func unsubscribe(_ session: StreamSession, from channel: String) {
        guard session.slots[channel] != nil else { return }
        session.shard.remove(session, from: channel)
        state.withLock { state in
            guard var entry = state.index[channel] else { return }
            entry.total -= 1
            if entry.total == 0 {
                state.index[channel] = nil
                state.perShard[channel] = nil
                return
            }
            if var counts = state.perShard.removeValue(forKey: channel) {
                counts[session.shard.index] -= 1
                entry.shards = 0
                for (i, n) in counts.enumerated() where n > 0 { entry.shards |= Self.bit(i) }
                state.perShard[channel] = counts
            }
            state.index[channel] = entry
        }
    }

    /// Numbers, encodes (once) and retains an event, and sends it to the subscribers of `channels`.
    ///
    /// - Parameter inline: whether the caller's own loop may deliver at once, after the lock, when nothing handed
    ///   to it earlier is still waiting (so order holds). Only for callers holding no other lock: a delivery can
    ///   close a slow subscriber, which unsubscribes.
    /// - Returns: its id, and the subscriptions reached (a subscriber of two of the channels counts twice, but
    ///   gets it once).
    @discardableResult
    func publish(event name: String?, data: String, to channels: [String], inline: Bool = false)
        -> (id: EventID, reached: Int)
    {
        let (id, reached, frame, local) = state.withLock {
            state -> (EventID, Int, ByteBuffer, LoopShard?) in
            let id = state.history.nextID()
            let frame = frames.event(name, id: id.description, data: data)
            state.history.record(frame, sequence: id.sequence, channels: channels, now: .now())
            var reached = 0
            var targets: UInt64 = 0
            for channel in channels {
                guard let entry = state.index[channel] else { continue }
                reached += entry.total
                targets |= entry.shards
            }
            var local: LoopShard?
            for (i, shard) in shards.enumerated() where targets & Self.bit(i) != 0 {
                if inline, local == nil, shard.mayDeliverNow {
                    local = shard
                    continue
                }
                // Handed over under the lock, so each loop runs deliveries in sequence order.
                shard.handOver { shard.deliver(frame, sequence: id.sequence, to: channels) }
            }
            return (id, reached, frame, local)
        }
        local?.deliver(frame, sequence: id.sequence, to: channels)
        return (id, reached)
    }

    /// Sends one event to every stream on every loop (not retained: it belongs to no channel).
    @discardableResult
    func broadcast(event name: String?, data: String) -> EventID {
        state.withLock { state in
            let id = state.history.nextID()
            let frame = frames.event(name, id: id.description, data: data)
            for shard in shards {
                shard.handOver { shard.broadcast(frame, sequence: id.sequence) }
            }
            return id
        }
    }

    /// Sends one event to one stream (not retained).
    @discardableResult
    func send(event name: String?, data: String, to session: StreamSession) -> EventID {
        state.withLock { state in
            let id = state.history.nextID()
            let frame = frames.event(name, id: id.description, data: data)
            session.shard.handOver {
                if !session.isEnded && id.sequence > session.skipThrough { session.send(frame, at: .now()) }
            }
            return id
        }
    }

    /// Drops aged-out history and frees channels nobody uses any more (called periodically).
    func sweepHistory() {
        state.withLock { state in
            let index = state.index
            state.history.sweep(now: .now()) { index[$0] != nil }
        }
    }

    /// Retained events, their bytes, and the channels the history tracks.
    var historyUsage: (events: Int, bytes: Int, channels: Int) {
        state.withLock { ($0.history.retainedEvents, $0.history.retainedBytes, $0.history.channelCount) }
    }

    /// Subscriber counts of channels that have subscribers.
    func counts() -> [(channel: String, subscribers: Int)] {
        state.withLock { state in state.index.map { ($0.key, $0.value.total) } }.sorted { $0.channel < $1.channel }
    }

    func subscriberCount(_ channel: String) -> Int {
        state.withLock { $0.index[channel]?.total ?? 0 }
    }

    var channelCount: Int { state.withLock { $0.index.count } }
}
