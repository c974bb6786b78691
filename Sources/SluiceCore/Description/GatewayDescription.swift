import SluiceJSON

/// Everything the gateway runs, compiled from a configuration and never changed afterwards.
///
/// The server reads only this: no raw configuration, no YAML. A reload builds a new description and swaps
/// the reference.
public struct GatewayDescription: Sendable {
    public var server: ServerSettings
    public var heartbeat: HeartbeatSettings
    public var origins: OriginPolicy
    public var limits: LimitSettings
    public var auth: AuthSettings
    /// Hooks by name.
    public var hooks: [String: HookSpec]
    /// Channel declarations in file order.
    public var channels: ChannelTable
    /// States by name, in file order.
    public var states: [StateSpec]
    /// Routes in file order; ``routeTable`` indexes into it.
    public var routes: [RouteSpec]
    public var routeTable: RouteTable

    public init(
        server: ServerSettings, heartbeat: HeartbeatSettings, origins: OriginPolicy, limits: LimitSettings,
        auth: AuthSettings, hooks: [String: HookSpec], channels: ChannelTable, states: [StateSpec],
        routes: [RouteSpec]
    ) {
        self.server = server
        self.heartbeat = heartbeat
        self.origins = origins
        self.limits = limits
        self.auth = auth
        self.hooks = hooks
        self.channels = channels
        self.states = states
        self.routes = routes
        self.routeTable = RouteTable(routes.map(\.pattern))
    }
}
