import SluiceAuth
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
    /// What the client's credentials grant (a rule's `channelsClaim`); checked after `allow`.
    let grants: ChannelGrants

    func permits(_ channel: String) -> Bool {
        allow.contains { $0.matches(channel) }
    }
}
