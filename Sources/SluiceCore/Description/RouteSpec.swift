/// A stream route: the path clients connect to and the channels they get.
public struct RouteSpec: Sendable {
    public var pattern: RoutePattern
    /// Channels every connection on the route subscribes to, filled per connection.
    public var channels: [ChannelTemplate]
    /// The auth rule's name, if the route needs one.
    public var auth: String?
    public var onConnect: String?
    public var onDisconnect: String?
    /// Channels a client may add over the subscriptions API; empty means none.
    public var subscribeAllow: [ChannelPattern]
    public var onSubscribe: String?

    public init(
        pattern: RoutePattern, channels: [ChannelTemplate], auth: String?, onConnect: String?, onDisconnect: String?,
        subscribeAllow: [ChannelPattern], onSubscribe: String?
    ) {
        self.pattern = pattern
        self.channels = channels
        self.auth = auth
        self.onConnect = onConnect
        self.onDisconnect = onDisconnect
        self.subscribeAllow = subscribeAllow
        self.onSubscribe = onSubscribe
    }
}
