/// Gateway-wide limits. `0` means unlimited where a limit says so.
public struct LimitSettings: Sendable, Equatable {
    public var maxConnections: Int
    /// `0`: unlimited.
    public var maxConnectionsPerIP: Int
    public var maxChannelsPerClient: Int
    /// `0`: unlimited.
    public var maxSubscribersPerChannel: Int
    /// Largest event data accepted at publish, in bytes.
    public var maxPayload: Int
    /// Longest a stream stays open before the gateway ends it; `nil`: no limit.
    public var connectionLifetime: Duration?
    /// Unsent bytes a subscriber may accumulate before it is cut off.
    public var slowClientBuffer: Int
    /// Longest path or query value used in a channel name, in bytes.
    public var maxParamLength: Int
    /// Memory all channel histories may use together, in bytes.
    public var historyMemory: Int
    /// Publish requests per second per publisher token; `0`: unlimited.
    public var publishRate: Int

    public init(
        maxConnections: Int, maxConnectionsPerIP: Int, maxChannelsPerClient: Int, maxSubscribersPerChannel: Int,
        maxPayload: Int, connectionLifetime: Duration?, slowClientBuffer: Int, maxParamLength: Int,
        historyMemory: Int, publishRate: Int
    ) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
        self.maxChannelsPerClient = maxChannelsPerClient
        self.maxSubscribersPerChannel = maxSubscribersPerChannel
        self.maxPayload = maxPayload
        self.connectionLifetime = connectionLifetime
        self.slowClientBuffer = slowClientBuffer
        self.maxParamLength = maxParamLength
        self.historyMemory = historyMemory
        self.publishRate = publishRate
    }
}
