import SluiceCore
import SluiceHooks

/// A stream's permission to change its own channels over `POST {prefix}/subscriptions`: the route's
/// `subscribe.allow` patterns and `onSubscribe` hook, and the secret from its `connected` event.
struct DynamicSubscriptions: Sendable {
    let secret: Secret
    let allow: [ChannelPattern]
    let onSubscribe: HookSpec?
    /// What the hook is told about the client (its `onConnect` request).
    let request: HookRequest

    func permits(_ channel: String) -> Bool {
        allow.contains { $0.matches(channel) }
    }
}
