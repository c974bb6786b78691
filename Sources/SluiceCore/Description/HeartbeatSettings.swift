/// Keep-alive traffic on idle streams.
public struct HeartbeatSettings: Sendable, Equatable {
    public var interval: Duration
    /// A named event to send; `nil` sends a comment line (`:` …), which clients ignore.
    public var event: String?

    public init(interval: Duration, event: String?) {
        self.interval = interval
        self.event = event
    }
}
