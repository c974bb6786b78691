import NIOCore
import SluiceCore
import SluiceJSON

/// Publishes validated events: checks the credential's scope and the channels' declarations, assigns the id,
/// encodes the frame once and hands it to the hub.
struct Publisher {
    let runtime: GatewayRuntime
    let credential: APICredential

    /// Publishes one JSON event.
    /// - Returns: `{"id": …, "delivered": N}`, or the status and reason of a refusal.
    func publish(_ json: JSONValue) -> Result<JSONValue, PublishError> {
        let request: PublishRequest
        switch PublishRequest.parse(json, maxPayload: runtime.gateway.limits.maxPayload) {
        case .success(let r): request = r
        case .failure(let e): return .failure(e)
        }
        switch request.target {
        case .channels(let names):
            for name in names {
                guard runtime.isDeclared(name) else {
                    return .failure(
                        PublishError(404, "The channel '\(name.prefix(64))' matches no declared channel or state."))
                }
                guard credential.permits(name) else {
                    return .failure(PublishError(403, "This token may not publish to '\(name.prefix(64))'."))
                }
            }
        case .client, .all:
            guard credential.channels.isEmpty else {
                return .failure(
                    PublishError(403, "This token is limited to channel patterns and may not publish to clients."))
            }
        }
        let id = request.id ?? runtime.ids.next()
        let frame = runtime.frame(event: request.event, id: id, data: request.data)
        let delivered: Int
        switch request.target {
        case .channels(let names):
            delivered = runtime.hub.publish(frame, to: names)
        case .client(let clientID):
            guard let session = runtime.registry.session(clientID) else {
                return .failure(PublishError(404, "No client with this id is connected."))
            }
            session.shard.loop.execute {
                if !session.isEnded { session.send(frame, at: .now()) }
            }
            delivered = 1
        case .all:
            delivered = runtime.registry.count
            runtime.hub.broadcast(frame)
        }
        runtime.metrics.eventsPublished.add(1, ordering: .relaxed)
        return .success(["id": .string(id), "delivered": .integer(Int64(delivered))])
    }
}
