import NIOCore
import SluiceJSON

extension GatewayRuntime {
    /// Changes an open stream's channels, on its event loop: removes `remove`, then adds each of `add` not refused
    /// already (`refusals`) within `maxChannelsPerClient` and the channel's subscriber limit. The stream gets
    /// `unsubscribed` / `subscribed` events and the states of the new channels.
    /// - Returns: the stream's channels after the change and a result per channel named.
    func changeChannels(
        of session: StreamSession, add: [String], remove: [String], refusals: [String: String] = [:]
    ) -> (channels: [String], results: JSONObject) {
        var results = JSONObject()
        for (name, reason) in refusals { results[name] = .string("refused: \(reason)") }
        var channels = session.channels
        var removed: [String] = []
        for name in remove where channels.contains(name) {
            hub.unsubscribe(session, from: name)
            channels.removeAll { $0 == name }
            removed.append(name)
            results[name] = "unsubscribed"
        }
        var added: [String] = []
        for name in add where refusals[name] == nil {
            if channels.contains(name) {
                results[name] = "subscribed"
            } else if channels.count >= gateway.limits.maxChannelsPerClient {
                results[name] = "refused: too many channels"
            } else if hub.subscribe(session, to: name, limit: subscriberLimit(name)) {
                channels.append(name)
                added.append(name)
                results[name] = "subscribed"
            } else {
                results[name] = "refused: channel full"
            }
        }
        session.setChannels(channels)
        registry.updateChannels(session.id, channels)
        metrics.subscriptions.add(added.count - removed.count, ordering: .relaxed)
        if !removed.isEmpty { session.send(channelsFrame("unsubscribed", removed), at: .now()) }
        if !added.isEmpty {
            session.send(channelsFrame("subscribed", added), at: .now())
            for frame in states.snapshot(for: added) { session.send(frame, at: .now()) }
        }
        return (channels, results)
    }
}
