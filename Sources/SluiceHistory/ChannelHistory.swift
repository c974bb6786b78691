import NIOCore

/// One channel's retained events, oldest first, and what it has published and dropped.
final class ChannelHistory {
    struct Entry {
        var sequence: UInt64
        var time: NIODeadline
        var frame: ByteBuffer
    }

    let name: String
    let policy: HistoryPolicy
    private(set) var entries = CircularBuffer<Entry>()
    /// The newest event published to the channel.
    private(set) var lastSequence: UInt64 = 0
    /// The newest event dropped (or, without history, never kept): a resume from before it has a gap.
    private(set) var droppedThrough: UInt64 = 0
    /// Since when the channel has had no subscriber, as last seen by a sweep.
    var emptySince: NIODeadline?
    /// Set once the store has freed the channel; entries left in the store's global order are then stale.
    var isFreed = false

    init(name: String, policy: HistoryPolicy) {
        self.name = name
        self.policy = policy
    }

    /// Appends an event. - Returns: whether it is retained (no history keeps nothing).
    func append(_ entry: Entry) -> Bool {
        lastSequence = entry.sequence
        guard policy.count > 0 else {
            droppedThrough = entry.sequence
            return false
        }
        entries.append(entry)
        return true
    }

    /// Whether the oldest retained event is `sequence` (the store's global order may hold dropped ones).
    func holds(_ sequence: UInt64) -> Bool {
        guard let first = entries.first else { return false }
        return first.sequence <= sequence && !isFreed
    }

    /// Drops the oldest retained event.
    func dropFirst() -> Entry {
        let entry = entries.removeFirst()
        droppedThrough = entry.sequence
        return entry
    }

    /// How many of the oldest events are past the count or age limit at `now`.
    func excess(at now: NIODeadline) -> Int {
        var n = max(0, entries.count - policy.count)
        if let age = policy.age {
            let oldest = now - .nanoseconds(Int64(age / .nanoseconds(1)))
            while n < entries.count && entries[entries.index(entries.startIndex, offsetBy: n)].time < oldest { n += 1 }
        }
        return n
    }

    /// Retained events newer than `sequence`, oldest first.
    func entries(after sequence: UInt64) -> [Entry] {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[entries.index(entries.startIndex, offsetBy: mid)].sequence <= sequence {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return Array(entries[entries.index(entries.startIndex, offsetBy: low)...])
    }
}
