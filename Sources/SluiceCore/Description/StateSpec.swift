import SluiceJSON

/// A named reactive value broadcast on its channel when it changes.
public struct StateSpec: Sendable, Equatable {
    public var name: String
    public var channel: String
    public var initial: JSONValue
    /// The key that wraps the value in event data: `{"value": 3}`.
    public var key: String
    /// A channel whose subscriber count this state follows, if it is a counter.
    public var counts: String?
    /// Whether the value is saved to the state file and restored at start.
    public var persist: Bool

    public init(name: String, channel: String, initial: JSONValue, key: String, counts: String?, persist: Bool) {
        self.name = name
        self.channel = channel
        self.initial = initial
        self.key = key
        self.counts = counts
        self.persist = persist
    }
}
