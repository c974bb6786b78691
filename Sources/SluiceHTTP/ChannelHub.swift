import NIOCore
import Synchronization

/// Routes published events to the event loops that have subscribers.
///
/// The hub keeps, under a lock, how many subscribers each channel has on each loop; it takes the lock on
/// subscribe, unsubscribe and once per published event, never per subscriber. Delivery itself happens on the
/// subscribers' loops (``LoopShard``).
final class ChannelHub: Sendable {
    private struct Entry {
        var total = 0
        var perShard: [Int]
    }

    let shards: [LoopShard]
    private let shardByLoop: [ObjectIdentifier: LoopShard]
    private let index = Mutex<[String: Entry]>([:])
    /// Deliveries handed to a loop and not yet run: publishers pause reading while this is high.
    private let queued = Atomic<Int>(0)

    /// How many queued deliveries make publishers wait.
    static let backlogLimit = 4096

    /// Whether publishers should stop reading until deliveries catch up.
    var isBacklogged: Bool { queued.load(ordering: .relaxed) > Self.backlogLimit }

    init(loops: [any EventLoop], metrics: GatewayMetrics, slowClientBuffer: Int) {
        shards = loops.enumerated().map {
            LoopShard(index: $0.offset, loop: $0.element, metrics: metrics, slowClientBuffer: slowClientBuffer)
        }
        shardByLoop = Dictionary(uniqueKeysWithValues: shards.map { (ObjectIdentifier($0.loop), $0) })
    }

    /// The shard of an event loop of this hub's group.
    func shard(for loop: any EventLoop) -> LoopShard {
        shardByLoop[ObjectIdentifier(loop)]!
    }

    /// Subscribes a session (on its loop) unless the channel already has `limit` subscribers (`0`: no limit).
    func subscribe(_ session: StreamSession, to channel: String, limit: Int) -> Bool {
        let shard = session.shard
        let admitted = index.withLock { index -> Bool in
            var entry = index[channel] ?? Entry(perShard: Array(repeating: 0, count: shards.count))
            if limit > 0 && entry.total >= limit { return false }
            entry.total += 1
            entry.perShard[shard.index] += 1
            index[channel] = entry
            return true
        }
        if admitted { shard.add(session, to: channel) }
        return admitted
    }

    /// Removes a session (on its loop) from a channel.
    func unsubscribe(_ session: StreamSession, from channel: String) {
        guard session.slots[channel] != nil else { return }
        session.shard.remove(session, from: channel)
        index.withLock { index in
            guard var entry = index[channel] else { return }
            entry.total -= 1
            entry.perShard[session.shard.index] -= 1
            index[channel] = entry.total == 0 ? nil : entry
        }
    }

    /// Sends one encoded event to the subscribers of `channels`.
    /// - Returns: the subscriptions reached (a subscriber of two of the channels counts twice, but gets it once).
    @discardableResult
    func publish(_ frame: ByteBuffer, to channels: [String]) -> Int {
        var reached = 0
        var targets = [Bool](repeating: false, count: shards.count)
        index.withLock { index in
            for channel in channels {
                guard let entry = index[channel] else { continue }
                reached += entry.total
                for (i, n) in entry.perShard.enumerated() where n > 0 { targets[i] = true }
            }
        }
        for (i, shard) in shards.enumerated() where targets[i] {
            queued.add(1, ordering: .relaxed)
            shard.loop.execute { [self] in
                shard.deliver(frame, to: channels)
                self.queued.subtract(1, ordering: .relaxed)
            }
        }
        return reached
    }

    /// Sends one encoded event to every stream on every loop.
    func broadcast(_ frame: ByteBuffer) {
        for shard in shards {
            queued.add(1, ordering: .relaxed)
            shard.loop.execute { [self] in
                shard.broadcast(frame)
                self.queued.subtract(1, ordering: .relaxed)
            }
        }
    }

    /// Subscriber counts of channels that have subscribers.
    func counts() -> [(channel: String, subscribers: Int)] {
        index.withLock { index in index.map { ($0.key, $0.value.total) } }.sorted { $0.channel < $1.channel }
    }

    func subscriberCount(_ channel: String) -> Int {
        index.withLock { $0[channel]?.total ?? 0 }
    }

    var channelCount: Int { index.withLock { $0.count } }
}
