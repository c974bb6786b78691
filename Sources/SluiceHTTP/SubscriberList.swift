/// The subscribers of one channel on one loop, in slots for removal in O(1) (the last one moves into the gap).
///
/// Most channels (one per user, per document) have a single subscriber, held directly: a delivery then reaches
/// it without first loading a list from memory, which with thousands of channels is a cache miss per event.
enum SubscriberList<Subscriber: AnyObject> {
    case one(Subscriber)
    case many([Subscriber])

    var count: Int {
        switch self {
        case .one: 1
        case .many(let sessions): sessions.count
        }
    }

    /// Adds a subscriber in the next slot.
    /// - Returns: its slot.
    mutating func append(_ subscriber: Subscriber) -> Int {
        switch self {
        case .one(let first):
            self = .many([first, subscriber])
            return 1
        case .many(var sessions):
            self = .many([])  // lets go of the array, so appending does not copy it
            sessions.append(subscriber)
            self = .many(sessions)
            return sessions.count - 1
        }
    }

    /// Removes the subscriber in `slot`, moving the last one into it.
    /// - Returns: the subscriber that moved (its slot is now `slot`), and whether the list is empty.
    mutating func remove(at slot: Int) -> (moved: Subscriber?, isEmpty: Bool) {
        switch self {
        case .one:
            return (nil, true)
        case .many(var sessions):
            self = .many([])
            let last = sessions.removeLast()
            var moved: Subscriber?
            if slot < sessions.count {
                sessions[slot] = last
                moved = last
            }
            self = sessions.count == 1 ? .one(sessions[0]) : .many(sessions)
            return (moved, sessions.isEmpty)
        }
    }

    /// Calls `body` with each subscriber.
    @inline(__always)
    func forEach(_ body: (Subscriber) -> Void) {
        switch self {
        case .one(let session): body(session)
        case .many(let sessions): for session in sessions { body(session) }
        }
    }
}
