import NIOCore
import Synchronization

/// The subscribers living on one event loop, by channel. Only ever touched on that loop, so fan-out needs no
/// lock: the hub hops here once per event (or, publishing from this loop, delivers at once) and the shard writes
/// the same buffer to each local subscriber.
final class LoopShard: @unchecked Sendable {
    let index: Int
    let loop: any EventLoop
    /// Subscribers of each channel.
    private var lists: [String: SubscriberList<StreamSession>] = [:]
    /// Ordered deliveries the hub handed to this loop that have not run yet.
    private let handedOver = Atomic<Int>(0)
    /// Whether a delivery is running (a delivery that closes a subscriber may cause another publish).
    private var delivering = false
    private(set) var sessions: [ObjectIdentifier: StreamSession] = [:]
    private var heartbeatTask: RepeatedTask?
    /// Sessions written to since the last flush pass, and whether that pass is already queued.
    private var unflushed: [StreamSession] = []
    private var flushQueued = false
    let metrics: GatewayMetrics
    /// Unflushed bytes after which a subscriber is flushed mid-burst: a quarter of the slow-client buffer.
    let flushThreshold: Int

    init(index: Int, loop: any EventLoop, metrics: GatewayMetrics, slowClientBuffer: Int) {
        self.index = index
        self.loop = loop
        self.metrics = metrics
        flushThreshold = max(1024, slowClientBuffer / 4)
    }

    func attach(_ session: StreamSession) {
        sessions[ObjectIdentifier(session)] = session
    }

    func detach(_ session: StreamSession) {
        sessions[ObjectIdentifier(session)] = nil
    }

    func add(_ session: StreamSession, to channel: String) {
        if let i = lists.index(forKey: channel) {
            session.slots[channel] = lists.values[i].append(session)
        } else {
            lists[channel] = .one(session)
            session.slots[channel] = 0
        }
    }

    func remove(_ session: StreamSession, from channel: String) {
        guard let i = lists.index(forKey: channel), let slot = session.slots.removeValue(forKey: channel) else {
            return
        }
        let (moved, isEmpty) = lists.values[i].remove(at: slot)
        moved?.slots[channel] = slot
        if isEmpty { lists.remove(at: i) }
    }

    /// Queues an ordered delivery (the hub calls it under its lock, so deliveries run in sequence order), counted
    /// until it has run.
    func handOver(_ delivery: @escaping @Sendable () -> Void) {
        handedOver.add(1, ordering: .relaxed)
        loop.execute { [self] in
            delivery()
            handedOver.subtract(1, ordering: .relaxed)
        }
    }

    /// Deliveries handed over and not run yet (the hub's backlog is their sum).
    var handedOverCount: Int { handedOver.load(ordering: .relaxed) }

    /// Whether the calling thread may deliver an event here right away, in order: it runs this loop, nothing
    /// handed over earlier is waiting, and no delivery is under way. Asked under the hub's lock.
    var mayDeliverNow: Bool {
        loop.inEventLoop && handedOver.load(ordering: .relaxed) == 0 && !delivering
    }

    /// Writes one event to every local subscriber of `channels`, each subscriber once, except those whose
    /// replay already covered it.
    func deliver(_ frame: ByteBuffer, sequence: UInt64, to channels: [String]) {
        let now = NIODeadline.now()
        var delivered = 0
        delivering = true
        defer { delivering = false }
        if channels.count == 1 {
            guard let subscribers = lists[channels[0]] else { return }
            subscribers.forEach { session in
                guard !session.isEnded && sequence > session.skipThrough else { return }
                write(frame, to: session, at: now)
                delivered += 1
            }
        } else {
            var seen = Set<ObjectIdentifier>()
            for channel in channels {
                guard let subscribers = lists[channel] else { continue }
                subscribers.forEach { session in
                    guard !session.isEnded && sequence > session.skipThrough,
                        seen.insert(ObjectIdentifier(session)).inserted
                    else { return }
                    write(frame, to: session, at: now)
                    delivered += 1
                }
            }
        }
        count(delivered, frame)
    }

    /// Writes without flushing and makes sure one flush pass follows. Deliveries already queued on this loop
    /// (a burst of events) run before that pass, so a burst costs each subscriber one flush, not one per event.
    @inline(__always)
    private func write(_ frame: ByteBuffer, to session: StreamSession, at now: NIODeadline) {
        session.enqueue(frame, at: now, flushAt: flushThreshold)
        if !session.needsFlush {
            session.needsFlush = true
            unflushed.append(session)
        }
        if !flushQueued {
            flushQueued = true
            loop.execute { [self] in flushPass() }
        }
    }

    private func flushPass() {
        flushQueued = false
        let sessions = unflushed
        unflushed.removeAll(keepingCapacity: true)
        for session in sessions {
            session.needsFlush = false
            if !session.isEnded && session.unflushedBytes > 0 {
                session.unflushedBytes = 0
                session.context.flush()
            }
        }
    }

    /// Writes one event to every stream on this loop.
    func broadcast(_ frame: ByteBuffer, sequence: UInt64) {
        let now = NIODeadline.now()
        var delivered = 0
        for session in sessions.values where !session.isEnded && sequence > session.skipThrough {
            write(frame, to: session, at: now)
            delivered += 1
        }
        count(delivered, frame)
    }

    private func count(_ delivered: Int, _ frame: ByteBuffer) {
        guard delivered > 0 else { return }
        metrics.eventsDelivered.add(delivered, ordering: .relaxed)
        metrics.bytesWritten.add(delivered * frame.readableBytes, ordering: .relaxed)
    }

    /// Starts sending `frame` to streams that have been quiet for `interval`.
    func startHeartbeat(every interval: TimeAmount, frame: ByteBuffer) {
        heartbeatTask = loop.scheduleRepeatedTask(
            initialDelay: interval, delay: .nanoseconds(max(interval.nanoseconds / 2, 1_000_000))
        ) { [self] _ in
            let now = NIODeadline.now()
            let quiet = now - interval
            for session in sessions.values where !session.isEnded && session.lastWrite <= quiet {
                session.send(frame, at: now)
            }
        }
    }

    func stopHeartbeat() {
        heartbeatTask?.cancel()
        heartbeatTask = nil
    }
}
