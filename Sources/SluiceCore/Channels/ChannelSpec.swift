/// A channel declaration: one channel by name, or a family by template.
public struct ChannelSpec: Sendable, Equatable {
    public var template: ChannelTemplate
    /// Events kept for replay; `0` keeps none.
    public var history: Int
    /// Oldest event kept for replay; `nil`: no age limit.
    public var historyAge: Duration?
    /// Subscribers allowed; `0` uses the gateway-wide limit.
    public var maxSubscribers: Int
    /// A temporary channel is freed, with its history, after being empty this long.
    public var emptyTimeout: Duration?

    public init(
        template: ChannelTemplate, history: Int, historyAge: Duration?, maxSubscribers: Int, emptyTimeout: Duration?
    ) {
        self.template = template
        self.history = history
        self.historyAge = historyAge
        self.maxSubscribers = maxSubscribers
        self.emptyTimeout = emptyTimeout
    }
}
