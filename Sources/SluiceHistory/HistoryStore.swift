import NIOCore

/// Every channel's retained events, the sequence that orders them, and the decisions of a resume.
///
/// Not thread-safe: the hub owns one under the same lock that assigns sequence numbers and routes events, so an
/// event is numbered, retained and handed to subscribers in one step, and a resume sees exactly the events
/// published before it.
///
/// Limits: per channel, a count and an age; across channels, `memoryLimit` bytes, evicting the oldest event of
/// any channel first. Temporary channels are freed, with their history, after being empty for their timeout;
/// other channels without retained events or subscribers are freed at once. What a freed channel had published is
/// remembered per declaration (one number), so a resume across a freed channel is a reset, never a silent gap.
///
/// `@unchecked Sendable`: its channel records are reference types that never leave the store, and the store is
/// only ever used by one owner at a time (the hub's lock).
public struct HistoryStore: @unchecked Sendable {
    public let epoch: UInt64
    public let memoryLimit: Int
    /// The newest sequence number assigned.
    public private(set) var head: UInt64 = 0
    private let policy: @Sendable (String) -> HistoryPolicy
    private var channels: [String: ChannelHistory] = [:]
    /// Retained events in publish order, for memory eviction; entries dropped another way stay until compaction.
    private(set) var order = CircularBuffer<(channel: ChannelHistory, sequence: UInt64)>()
    private var staleInOrder = 0
    /// Per declaration, the newest event of any freed channel.
    private var forgottenThrough: [Int: UInt64] = [:]
    public private(set) var retainedBytes = 0
    public private(set) var retainedEvents = 0

    /// Bytes an entry costs beyond its frame (the entry, its place in the global order).
    public static let entryOverhead = 64

    public init(epoch: UInt64, memoryLimit: Int, policy: @escaping @Sendable (String) -> HistoryPolicy) {
        self.epoch = epoch
        self.memoryLimit = memoryLimit
        self.policy = policy
    }

    /// Channels the store tracks (with retained events, or published to and not yet swept).
    public var channelCount: Int { channels.count }

    /// Assigns the next id.
    public mutating func nextID() -> EventID {
        head += 1
        return EventID(epoch: epoch, sequence: head)
    }

    /// Retains an event published to `channels` under the id `nextID()` gave it.
    public mutating func record(_ frame: ByteBuffer, sequence: UInt64, channels names: [String], now: NIODeadline) {
        for name in names {
            let channel = self.channel(name)
            guard channel.append(.init(sequence: sequence, time: now, frame: frame)) else { continue }
            retainedBytes += frame.readableBytes + Self.entryOverhead
            retainedEvents += 1
            order.append((channel, sequence))
            trim(channel, at: now)
        }
        while retainedBytes > memoryLimit, let (channel, sequence) = order.popFirst() {
            // Entries leave a channel oldest first, so one it still holds is its oldest.
            if channel.holds(sequence) {
                drop(from: channel)
            } else {
                staleInOrder -= 1
            }
        }
    }

    /// Plans the replay for a stream on `names` that last saw `lastEventID`.
    ///
    /// - Parameter covered: channels whose state the stream gets anyway (a state snapshot): never reset.
    public mutating func resume(
        after lastEventID: String, channels names: [String], covered: (String) -> Bool = { _ in false },
        now: NIODeadline
    ) -> ResumePlan {
        var plan = ResumePlan(replay: [], replayedSequences: [], resets: [], through: head)
        let resettable = names.filter { !covered($0) }
        guard let id = EventID(lastEventID), id.sequence <= head || id.epoch != epoch else {
            if !resettable.isEmpty { plan.resets = [.init(reason: .unknownID, channels: resettable)] }
            return plan
        }
        guard id.epoch == epoch else {
            if !resettable.isEmpty { plan.resets = [.init(reason: .otherEpoch, channels: resettable)] }
            return plan
        }
        var expired: [String] = []
        var noHistory: [String] = []
        var lists: [[ChannelHistory.Entry]] = []
        for name in names {
            guard let channel = channels[name] else {
                let policy = policy(name)
                if forgottenThrough[policy.declaration] ?? 0 > id.sequence && !covered(name) {
                    if policy.count == 0 { noHistory.append(name) } else { expired.append(name) }
                }
                continue
            }
            trim(channel, at: now)
            if channel.droppedThrough > id.sequence {
                if !covered(name) {
                    if channel.policy.count == 0 { noHistory.append(name) } else { expired.append(name) }
                }
                continue
            }
            let missed = channel.entries(after: id.sequence)
            if !missed.isEmpty { lists.append(missed) }
        }
        merge(lists, into: &plan)
        if !expired.isEmpty { plan.resets.append(.init(reason: .expired, channels: expired)) }
        if !noHistory.isEmpty { plan.resets.append(.init(reason: .noHistory, channels: noHistory)) }
        return plan
    }

    /// Drops events past their age, and frees channels: temporary ones empty for their timeout, others once they
    /// retain nothing and have no subscriber.
    public mutating func sweep(now: NIODeadline, hasSubscribers: (String) -> Bool) {
        var freed: [String] = []
        for (name, channel) in channels {
            trim(channel, at: now)
            if hasSubscribers(name) {
                channel.emptySince = nil
                continue
            }
            let since = channel.emptySince ?? now
            channel.emptySince = since
            if let timeout = channel.policy.emptyTimeout {
                if now - since >= .nanoseconds(Int64(timeout / .nanoseconds(1))) { freed.append(name) }
            } else if channel.entries.isEmpty {
                freed.append(name)
            }
        }
        for name in freed { free(name) }
        if staleInOrder > 1024 && staleInOrder * 2 > order.count { compactOrder() }
    }

    private mutating func channel(_ name: String) -> ChannelHistory {
        if let existing = channels[name] { return existing }
        let created = ChannelHistory(name: name, policy: policy(name))
        channels[name] = created
        return created
    }

    private mutating func trim(_ channel: ChannelHistory, at now: NIODeadline) {
        let n = channel.excess(at: now)
        for _ in 0..<n {
            drop(from: channel)
            staleInOrder += 1
        }
    }

    private mutating func drop(from channel: ChannelHistory) {
        let entry = channel.dropFirst()
        retainedBytes -= entry.frame.readableBytes + Self.entryOverhead
        retainedEvents -= 1
    }

    private mutating func free(_ name: String) {
        guard let channel = channels.removeValue(forKey: name) else { return }
        while !channel.entries.isEmpty {
            drop(from: channel)
            staleInOrder += 1
        }
        channel.isFreed = true
        let declaration = channel.policy.declaration
        forgottenThrough[declaration] = max(forgottenThrough[declaration] ?? 0, channel.lastSequence)
    }

    private mutating func compactOrder() {
        order = CircularBuffer(order.filter { $0.channel.holds($0.sequence) })
        staleInOrder = 0
    }

    /// Merges per-channel lists (each ascending) into one ascending list without duplicates: an event published to
    /// two of the stream's channels is replayed once.
    private func merge(_ lists: [[ChannelHistory.Entry]], into plan: inout ResumePlan) {
        if lists.count == 1 {
            for entry in lists[0] {
                plan.replay.append(entry.frame)
                plan.replayedSequences.append(entry.sequence)
            }
            return
        }
        var cursors = lists.map(\.startIndex)
        var last: UInt64 = 0
        while true {
            var best = -1
            for i in lists.indices where cursors[i] < lists[i].endIndex {
                if best < 0 || lists[i][cursors[i]].sequence < lists[best][cursors[best]].sequence { best = i }
            }
            guard best >= 0 else { return }
            let entry = lists[best][cursors[best]]
            cursors[best] += 1
            if entry.sequence != last {
                plan.replay.append(entry.frame)
                plan.replayedSequences.append(entry.sequence)
                last = entry.sequence
            }
        }
    }
}
